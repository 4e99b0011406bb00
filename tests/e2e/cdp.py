"""A headless Chromium driven over the DevTools protocol, standard library only.

Chromium's --remote-debugging-pipe reads commands on fd 3 and writes replies
and events on fd 4, each a JSON text ended by a NUL byte: no WebSocket needed.
Every wait is bounded; a slow or dead browser raises TimeoutError.
"""
import fcntl
import json
import os
import select
import subprocess
import time


class Browser:
    def __init__(self, chromium, profile_dir, width=1400, height=1000):
        cmd_r, cmd_w = os.pipe()
        ev_r, ev_w = os.pipe()
        # out of the way of 3 and 4, which the child's dup2() below fills
        cmd_r2 = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
        ev_w2 = fcntl.fcntl(ev_w, fcntl.F_DUPFD, 10)
        os.close(cmd_r)
        os.close(ev_w)

        def child_fds():
            os.dup2(cmd_r2, 3)
            os.dup2(ev_w2, 4)

        self.proc = subprocess.Popen(
            [chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--remote-debugging-pipe", "--user-data-dir=" + profile_dir,
             "--no-first-run", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(cmd_r2)
        os.close(ev_w2)
        self.w, self.r = cmd_w, ev_r
        self.buf = b""
        self.next_id = 0
        self.pending = []       # messages read while waiting for another
        self.session = None
        deadline = time.monotonic() + 10
        while True:     # the first tab may come a moment after the browser
            pages = [t for t in self.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
            if pages:
                break
            if time.monotonic() > deadline:
                raise TimeoutError("chromium opened no page")
            time.sleep(0.05)
        self.session = self.call("Target.attachToTarget", targetId=pages[0]["targetId"],
                                 flatten=True, session=False)["sessionId"]
        self.call("Page.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def send(self, method, session=True, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session and self.session:
            msg["sessionId"] = self.session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self.w, data):]
        return self.next_id

    def _read(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                raise TimeoutError("no answer from chromium")
            chunk = os.read(self.r, 1 << 16)
            if not chunk:
                raise RuntimeError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def wait(self, match, timeout=10):
        """The first message (queued or new) for which match(msg) is true."""
        for i, msg in enumerate(self.pending):
            if match(msg):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read(deadline)
            if match(msg):
                return msg
            self.pending.append(msg)

    def result(self, msg_id, timeout=10):
        msg = self.wait(lambda m: m.get("id") == msg_id, timeout)
        if "error" in msg:
            raise RuntimeError("DevTools: %s" % msg["error"])
        return msg["result"]

    def call(self, method, session=True, timeout=10, **params):
        return self.result(self.send(method, session, **params), timeout)

    def event(self, method, timeout=10):
        return self.wait(lambda m: m.get("method") == method, timeout)

    def open(self, url, ready_js, timeout=15):
        """Navigates to URL and waits until the expression READY_JS is true."""
        self.pending.clear()
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while not self.eval(ready_js):
            if time.monotonic() > deadline:
                raise TimeoutError("page not ready: " + url)
            time.sleep(0.05)

    def eval(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True)
        if "exceptionDetails" in r:
            raise RuntimeError("script error: %s" % r["exceptionDetails"].get("text"))
        return r["result"].get("value")

    def click(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def hover(self, x, y):
        self.call("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)

    def key(self, key, code, keycode, text=None):
        """Presses a key; returns the keyDown's id without waiting (a prompt() would block it)."""
        extra = {"text": text} if text else {}
        down = self.send("Input.dispatchKeyEvent", type="keyDown", key=key, code=code,
                         windowsVirtualKeyCode=keycode, **extra)
        return down, self.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=code,
                               windowsVirtualKeyCode=keycode)

    def close(self):
        try:
            self.send("Browser.close", session=False)
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait(timeout=5)
        os.close(self.w)
        os.close(self.r)
