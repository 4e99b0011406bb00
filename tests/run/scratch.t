### long_strings_spill_to_per_cpu_scratch
--- env
BPFTRACE_STRLEN=1024
--- prog
BEGIN { $a = "a"; $b = "b"; $t = ($a, $b, comm); @m[$t] = count(); printf("%s %s %d\n", $a, $b, @m[$t]); print($t); exit(); }
--- stdout-re
a b 1\n\(a, b, sonde(-asan)?\)\n\n\n@m\[a, b, sonde(-asan)?\]: 1

### a_printf_record_larger_than_the_stack
--- env
BPFTRACE_STRLEN=512
--- prog
BEGIN { printf("%s|%s|%s\n", "x", "y", "z"); exit(); }
--- stdout
x|y|z

### strings_too_long_for_the_scratch_area_are_refused
--- env
BPFTRACE_STRLEN=1024
--- prog
BEGIN { $t = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"); @x[$t, $t] = 1; print(@x); }
--- rc
1
--- stderr-has
more than sonde's 28672
