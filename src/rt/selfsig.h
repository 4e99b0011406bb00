/* SIGUSR1 for self:signal probes: caught, counted, taken by the event loop. */
#ifndef SONDE_SELFSIG_H
#define SONDE_SELFSIG_H

/* Catches SIGUSR1 from now on (instead of dying of it). */
void selfsig_install(void);
/* 1 when SIGUSR1 arrived since the last call. */
int selfsig_take(void);

#endif
