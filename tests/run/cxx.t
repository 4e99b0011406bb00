### usym_prints_cxx_functions_demangled_with_their_parameters
Probes go on the mangled names, as the symbol table holds them; usym()
prints what perf and bpftrace print: the whole demangled name, parameter
list, const and template arguments (a template's return type included).
The target's own line (19) may come before or after them.
--- flags
-q -c 'build/targets/cxx calls 2 300'
--- prog
uprobe:build/targets/cxx:_ZNK2ns6Widget4areaEv, uprobe:build/targets/cxx:_ZN2ns5twiceIiEET_S1_,
uprobe:build/targets/cxx:_ZN2ns5twiceIdEET_S1_, uprobe:build/targets/cxx:_Z5scalei,
uprobe:build/targets/cxx:_Z5scaled { printf("%s\n", usym(reg("ip"))); }
--- check
[l for l in out.splitlines() if l and l != "19"] == ["ns::Widget::area() const", "int ns::twice<int>(int)", "double ns::twice<double>(double)", "scale(int)", "scale(double)"] * 2 and "19\n" in out

### usym_keys_of_cxx_functions_stay_demangled_after_the_process_exits
Inside a function (ip + 1) names it too; the keys are printed at exit, from
the maps snapshotted while the process lived.
--- flags
-q -c 'build/targets/cxx calls 3 300'
--- prog
uprobe:build/targets/cxx:_Z5scale?, uprobe:build/targets/cxx:_ZNK2ns6Widget4areaEv { @[usym(reg("ip") + 1)] = count(); }
--- stdout
39


@[ns::Widget::area() const]: 3
@[scale(int)]: 3
@[scale(double)]: 3

### cxx_functions_are_listed_and_matched_by_their_mangled_names
Globs match the symbol table's names: *Widget* finds the method and both
constructor symbols. Demangled attach points (bpftrace's
uprobe:BIN:cpp:ns::Widget::area) are not supported.
--- flags
-l uprobe:build/targets/cxx:*Widget*
--- stdout
uprobe:build/targets/cxx:_ZN2ns6WidgetC1Eii
uprobe:build/targets/cxx:_ZN2ns6WidgetC2Eii
uprobe:build/targets/cxx:_ZNK2ns6Widget4areaEv

### func_and_ustack_of_cxx_functions_are_demangled
--- flags
-q -c 'build/targets/cxx calls 2 50'
--- prog
uprobe:build/targets/cxx:_ZNK2ns6Widget4areaEv { @f[func] = count(); @s[ustack(2)] = count(); }
--- stdout-re
19


@f\[ns::Widget::area\(\) const\]: 2
@s\[
    ns::Widget::area\(\) const\+0
    calls\(long\)\+\d+
\]: 2
