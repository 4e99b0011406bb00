// A target shaped like the rpcx example: Arith.Mul(ctx, Args, *Reply) called
// in a loop.
//
//	server calls N      N calls of Mul(ctx, Args{10, 20}, &reply); prints the sum
//	server grow N       the same, each call growing its goroutine's stack from
//	                    inside Mul, so the runtime copies the stack under it
//	server edge N       N calls, each from a fresh goroutine at a different
//	                    stack depth, so some calls find the stack full at
//	                    Mul's own stack check (morestack, then Mul starts over)
//	server par G N      G goroutines at once, N calls each, with stack growth
//	                    (goroutines migrate between threads: key by goid)
//	server shapes N     N calls each of Blank(100, 6), Generic[int](5, 13) and
//	                    Huge (a 10 KB frame with the long stack check) from fresh goroutines
//	server timed N      N calls of Mul in one goroutine; prints "ns_per_call X" on stderr
//	server wait MS N    sleep MS milliseconds first, then as `calls N`
//	server wait MS MODE ARGS...  sleep MS milliseconds first, then as MODE ARGS...
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

type Args struct{ A, B int }
type Reply struct{ C int }
type Arith int

var growDepth int
var yieldInMul bool // par: a goroutine may resume on another thread before Mul returns

//go:noinline
func deep(n int) int {
	var pad [64]byte // a large frame: the stack must grow
	pad[n%64] = byte(n)
	if n == 0 {
		return int(pad[0])
	}
	return deep(n-1) + int(pad[n%64])
}

//go:noinline
func (t *Arith) Mul(ctx context.Context, args Args, reply *Reply) error {
	if growDepth > 0 {
		deep(growDepth)
	}
	if yieldInMul {
		runtime.Gosched()
	}
	reply.C = args.A * args.B
	return nil
}

//go:noinline
func eat(a *Arith, n int, r *Reply) {
	var pad [40]byte
	pad[n%40] = byte(n)
	if n <= 0 {
		a.Mul(context.Background(), Args{10, 20}, r)
		return
	}
	eat(a, n-1, r)
	r.C += int(pad[n%40]) * 0
}

func edge(n int) {
	a := new(Arith)
	sum := 0
	for i := 0; i < n; i++ {
		done := make(chan int)
		go func(depth int) {
			var r Reply
			eat(a, depth, &r)
			done <- r.C
		}(i % 97)
		sum += <-done
	}
	fmt.Println(sum)
}

func par(g, n int) {
	a := new(Arith)
	var wg sync.WaitGroup
	sums := make([]int, g)
	for k := 0; k < g; k++ {
		wg.Add(1)
		go func(k int) {
			defer wg.Done()
			var r Reply
			for i := 0; i < n; i++ {
				a.Mul(context.Background(), Args{10, 20}, &r)
				sums[k] += r.C
				runtime.Gosched()
			}
		}(k)
	}
	wg.Wait()
	sum := 0
	for _, s := range sums {
		sum += s
	}
	fmt.Println(sum)
}

// parameters DWARF leaves out (`_`, a generic's dictionary) must not shift the others

//go:noinline
func Blank(_ int, b int) int { return b }

//go:noinline
func Generic[T any](x T, n int) int { return n }

//go:noinline
func Huge(n int) int {
	var pad [10000]byte
	pad[n%10000] = byte(n)
	return int(pad[(n+1)%10000]) + n
}

func shapes(n int) {
	sum := 0
	for i := 0; i < n; i++ {
		done := make(chan int)
		go func() { done <- Blank(100, 6) + Generic[int](5, 13) + Huge(1) }()
		sum += <-done
	}
	fmt.Println(sum)
}

func run(n int) {
	a := new(Arith)
	sum := 0
	for i := 0; i < n; i++ {
		// a fresh goroutine starts with a small stack, so growth happens inside Mul
		done := make(chan int)
		go func() {
			var r Reply
			a.Mul(context.Background(), Args{10, 20}, &r)
			done <- r.C
		}()
		sum += <-done
	}
	fmt.Println(sum)
}

func main() {
	if len(os.Args) >= 5 && os.Args[1] == "wait" {
		// wait MS MODE ARGS...: the mode, after a sleep (a tool attaches with -p meanwhile)
		ms, _ := strconv.Atoi(os.Args[2])
		time.Sleep(time.Duration(ms) * time.Millisecond)
		os.Args = append(os.Args[:1], os.Args[3:]...)
	}
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: server calls N | grow N | edge N | par G N | shapes N | timed N | wait MS N")
		os.Exit(2)
	}
	n, _ := strconv.Atoi(os.Args[len(os.Args)-1])
	switch os.Args[1] {
	case "edge":
		edge(n)
		return
	case "shapes":
		shapes(n)
		return
	case "timed":
		a := new(Arith)
		var r Reply
		t0 := time.Now()
		for i := 0; i < n; i++ {
			a.Mul(context.Background(), Args{10, 20}, &r)
		}
		fmt.Fprintf(os.Stderr, "ns_per_call %.1f\n", float64(time.Since(t0).Nanoseconds())/float64(n))
		return
	case "par":
		g, _ := strconv.Atoi(os.Args[2])
		growDepth = 300
		yieldInMul = true
		par(g, n)
		return
	case "grow":
		growDepth = 2000
	case "wait":
		ms, _ := strconv.Atoi(os.Args[2])
		time.Sleep(time.Duration(ms) * time.Millisecond)
	}
	run(n)
}
