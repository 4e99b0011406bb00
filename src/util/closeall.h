/* Closes many file descriptors whose close blocks (perf events, links) in parallel. */
#ifndef SONDE_CLOSEALL_H
#define SONDE_CLOSEALL_H

void close_all(const int *fds, int n);

#endif
