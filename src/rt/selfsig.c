/* SIGUSR1 for self:signal probes (probe/self.c). */
#include "selfsig.h"
#include <signal.h>

static volatile sig_atomic_t usr1_arrived;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_arrived = 1;
}

void selfsig_install(void)
{
	/* SA_RESTART keeps output writes whole; the event loop's wait still returns at once */
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	sigaction(SIGUSR1, &sa, NULL);
}

int selfsig_take(void)
{
	if (!usr1_arrived)
		return 0;
	usr1_arrived = 0;
	return 1;
}
