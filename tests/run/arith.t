### integer_operators_follow_c_precedence
--- prog
BEGIN { printf("%d %d %d %d\n", 1 + 2 * 3, (1 + 2) * 3, 7 - 2 - 1, 1 << 4 | 1); exit(); }
--- stdout
7 9 4 17

### bitwise_and_shift_operators
--- prog
BEGIN { printf("%d %d %d %d %d\n", 12 & 10, 12 | 10, 12 ^ 10, ~0 & 0xff, 256 >> 4); exit(); }
--- stdout
8 14 6 255 16

### signed_division_and_modulo_truncate_toward_zero
--- prog
BEGIN { $a = -7; printf("%d %d %d %d\n", $a / 2, $a % 2, 7 / -2, 7 % -2); exit(); }
--- stdout
-3 -1 -3 1

### signed_division_is_emulated_without_bpf_v4
--- env
SONDE_NO_SDIV=1
--- prog
BEGIN { $a = -7; printf("%d %d %d %d %d\n", $a / 2, $a % 2, 7 / -2, 7 % -2, -8 / -2); exit(); }
--- stdout
-3 -1 -3 1 4

### division_by_zero_gives_zero
--- prog
BEGIN { $z = 0; printf("%d %d\n", 10 / $z, 10 % $z); exit(); }
--- stdout
0 0

### unsigned_division_of_large_values
--- prog
BEGIN { $a = (uint64)0xfffffffffffffff0; printf("%lu\n", $a / 16); exit(); }
--- stdout
1152921504606846975

### comparisons_and_logic_short_circuit
--- prog
BEGIN { $x = 5; printf("%d %d %d %d %d %d\n", $x > 3, $x < 3, $x >= 5, $x != 5, $x == 5 && $x > 9, $x == 1 || $x == 5); exit(); }
--- stdout
1 0 1 0 0 1

### signed_comparison_of_negative_values
--- prog
BEGIN { $x = -1; printf("%d %d\n", $x < 0, $x < 1); exit(); }
--- stdout
1 1

### casts_truncate_then_extend
--- prog
BEGIN { printf("%d %d %d %d %lu\n", (int8)-10, (uint8)300, (int8)200, (int16)70000, (uint32)-1); exit(); }
--- stdout
-10 44 -56 4464 4294967295

### unary_minus_not_and_complement
--- prog
BEGIN { $x = 3; printf("%d %d %d %d\n", -$x, !$x, !0, ~$x); exit(); }
--- stdout
-3 0 1 -4

### ternary_picks_a_branch
--- prog
BEGIN { $x = 3; printf("%d %s\n", $x > 2 ? 10 : 20, $x > 5 ? "big" : "small"); exit(); }
--- stdout
10 small

### compound_assignments_on_variables
--- prog
BEGIN { $x = 10; $x += 5; $x -= 3; $x *= 4; $x /= 6; $x %= 5; $x <<= 3; $x >>= 1; $x |= 1; $x &= 0xd; $x ^= 2; printf("%d\n", $x); exit(); }
--- stdout
15

### increment_and_decrement_variables
--- prog
BEGIN { $i = 0; $i++; $i++; ++$i; $i--; printf("%d\n", $i); exit(); }
--- stdout
2

### integer_literals_in_hex_underscore_and_exponent_forms
--- prog
BEGIN { printf("%d %d %d\n", 0x10, 1_000_000, 1e3); exit(); }
--- stdout
16 1000000 1000

### while_loop_with_a_bound
--- prog
BEGIN { $i = 0; $s = 0; while ($i < 10) { $s += $i; $i++; } printf("%d\n", $s); exit(); }
--- stdout
45

### unroll_repeats_the_block
--- prog
BEGIN { $i = 0; unroll(5) { $i = $i * 2 + 1; } printf("%d\n", $i); exit(); }
--- stdout
31

### if_else_if_chain
--- prog
BEGIN { $x = 2; if ($x == 1) { printf("one\n"); } else if ($x == 2) { printf("two\n"); } else { printf("other\n"); } exit(); }
--- stdout
two

### return_ends_the_block
--- prog
BEGIN { printf("a\n"); return; printf("b\n"); }
END { printf("end\n"); }
interval:ms:10 { exit(); }
--- stdout
a
end



### exit_ends_the_block_and_the_program
--- prog
BEGIN { @++; if (@) { exit(); } @++; }
--- stdout


@: 1

### exit_code_is_the_process_status
--- prog
BEGIN { exit(3); }
--- rc
3

### many_live_values_spill_to_the_stack
--- prog
BEGIN { printf("%d\n", (1 + (2 + (3 + (4 + (5 + (6 + (7 + (8 + (9 + (10 + (11 + 12)))))))))))); exit(); }
--- stdout
78

### values_live_across_helper_calls_survive
--- prog
BEGIN { printf("%d\n", (pid > 0) + (nsecs > 0) + (cpu >= 0) + (uid >= 0) + (gid >= 0) + (tid > 0) + (elapsed >= 0) + (cgroup > 0)); exit(); }
--- stdout
8

### positional_parameters_and_their_count
--- prog
BEGIN { printf("%d %s %d %d\n", $1 + 1, str($2), $#, $3); exit(); }
--- params
41 hello
--- stdout
42 hello 2 0

### break_and_continue_in_while_loops
--- prog
BEGIN { $i = 0; while ($i < 10) { $i++; if ($i == 3) { continue; } if ($i > 5) { break; } printf("%d\n", $i); } exit(); }
--- stdout
1
2
4
5

### break_outside_a_loop_is_an_error
--- prog
BEGIN { break; }
--- rc
1
--- stderr
stdin:1:9-14: ERROR: break used outside of a while loop
BEGIN { break; }
        ~~~~~
