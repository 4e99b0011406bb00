# CPU work in nested Python calls for the profile tests: busy.py SECONDS
import time
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
def work(deadline):
    while time.time() < deadline:
        fib(18)
work(time.time() + float(__import__('sys').argv[1]))
