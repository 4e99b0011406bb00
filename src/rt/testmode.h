/* --test: runs the script's test: probes and reports each (rt/testmode.c). */
#ifndef SONDE_TESTMODE_H
#define SONDE_TESTMODE_H

struct session;
/* Runs every test probe in order, prints PASS/FAIL and a summary; 0 when all passed, 1 otherwise. */
int testmode_run(struct session *s);

#endif
