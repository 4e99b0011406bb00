/*
 * A C program that embeds CPython (Debian's libpython3.11.so): its
 * executable has no python:* USDT notes, the library it maps does, so the
 * Python tools must find them through /proc/PID/maps.
 *   pyembed WAIT_MS CALLS
 * sleeps WAIT_MS (a tool attaches with -p), then runs Python that calls
 * embedded_known() CALLS times and checks the sum; prints "ok CALLS".
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fputs("usage: pyembed WAIT_MS CALLS\n", stderr);
		return 2;
	}
	long wait_ms = atol(argv[1]), calls = atol(argv[2]);
	struct timespec ts = { wait_ms / 1000, (wait_ms % 1000) * 1000000L };
	char code[512];
	snprintf(code, sizeof(code),
		 "def embedded_known(n):\n"
		 "    return n + 1\n"
		 "total = sum(embedded_known(i) for i in range(%ld))\n"
		 "assert total == %ld * (%ld + 1) // 2, total\n"
		 "print('ok', %ld, flush=True)\n",
		 calls, calls, calls, calls);
	Py_Initialize();
	nanosleep(&ts, NULL);
	int rc = PyRun_SimpleString(code);
	if (Py_FinalizeEx() < 0)
		rc = 1;
	return rc ? 1 : 0;
}
