# Go: the rpcx-shaped target (tests/targets/go/server.go), plain and stripped.

### go_functions_are_listed_from_the_symbol_table
--- flags
-l uprobe:build/targets/goserver:main.*
--- stdout
uprobe:build/targets/goserver:main.(*Arith).Mul
uprobe:build/targets/goserver:main.deep
uprobe:build/targets/goserver:main.eat
uprobe:build/targets/goserver:main.edge
uprobe:build/targets/goserver:main.edge.func1
uprobe:build/targets/goserver:main.edge.func2
uprobe:build/targets/goserver:main.main
uprobe:build/targets/goserver:main.run
uprobe:build/targets/goserver:main.run.func1

### a_stripped_go_binary_lists_its_functions_from_gopclntab
--- flags
-l uprobe:build/targets/goserver-stripped:main.*
--- stdout
uprobe:build/targets/goserver-stripped:main.(*Arith).Mul
uprobe:build/targets/goserver-stripped:main.deep
uprobe:build/targets/goserver-stripped:main.eat
uprobe:build/targets/goserver-stripped:main.edge
uprobe:build/targets/goserver-stripped:main.edge.func1
uprobe:build/targets/goserver-stripped:main.edge.func2
uprobe:build/targets/goserver-stripped:main.main
uprobe:build/targets/goserver-stripped:main.run
uprobe:build/targets/goserver-stripped:main.run.func1

### the_seed_one_liner_prints_the_arguments_of_mul
--- flags
-q -c 'build/targets/goserver-stripped calls 3'
--- prog
uprobe:build/targets/goserver-stripped:main.*.Mul {printf("%s - %s: arg1: %d, arg2: %d\n", comm, func, arg0, arg1)}
--- check
out.count("goserver-stripp - main.(*Arith).Mul: arg1: 10, arg2: 20\n") == 3 and "600\n" in out

### go_returns_are_probed_at_their_ret_instructions_while_stacks_move
--- flags
-q -c 'build/targets/goserver grow 10000'
--- prog
uprobe:build/targets/goserver:main.*.Mul { @calls = count(); }
uretprobe:build/targets/goserver:main.*.Mul { @returns[func, retval] = count(); }
--- stdout
2000000


@calls: 10000
@returns[main.(*Arith).Mul, 0]: 10000

### one_call_fires_once_although_morestack_restarts_the_function
--- flags
-q -c 'build/targets/goserver edge 2000'
--- prog
uprobe:build/targets/goserver:main.*.Mul { @entries = count(); }
uprobe:build/targets/goserver:main.*.Mul+4 { @jbe = count(); @restarts = sum((reg("flags") & 0x41) != 0); }
uretprobe:build/targets/goserver:main.*.Mul { @returns = count(); }
--- check
re.search(r"^@entries: 2000$", out, re.M) and re.search(r"^@returns: 2000$", out, re.M) and int(re.search(r"^@restarts: (\d+)$", out, re.M).group(1)) > 0 and int(re.search(r"^@jbe: (\d+)$", out, re.M).group(1)) == 2000 + int(re.search(r"^@restarts: (\d+)$", out, re.M).group(1))

### beside_a_c_function_a_go_entry_probe_moves_past_the_stack_check
--- flags
-q -c 'build/targets/goserver edge 2000'
--- prog
uprobe:build/targets/goserver:main.*.Mul, uprobe:build/targets/funcs:add { @[func, arg0, arg1] = count(); }
--- check
re.search(r"^@\[main\.\(\*Arith\)\.Mul, 10, 20\]: 2000$", out, re.M)
