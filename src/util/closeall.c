/*
 * Closing a tracepoint's perf event or link waits for an RCU grace period
 * (~30-50 ms here). Closing hundreds one after another takes a minute;
 * closing them from many threads lets the waits overlap.
 */
#include "closeall.h"
#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

struct close_job {
	const int *fds;
	int n;
	atomic_int next;
};

static void *closer(void *arg)
{
	struct close_job *job = arg;
	for (int i; (i = atomic_fetch_add(&job->next, 1)) < job->n;)
		close(job->fds[i]);
	return NULL;
}

void close_all(const int *fds, int n)
{
	enum { MAX_THREADS = 64 };
	struct close_job job = { .fds = fds, .n = n };
	atomic_init(&job.next, 0);
	/* a few fds get a thread each (a thread costs far less than a grace period); many, one per 4 */
	int nthreads = n <= 8 ? n - 1 : n / 4 < MAX_THREADS ? n / 4 : MAX_THREADS;
	pthread_t threads[MAX_THREADS];
	int started = 0;
	for (; started < nthreads; started++)
		if (pthread_create(&threads[started], NULL, closer, &job))
			break;
	closer(&job);	/* this thread helps too, and finishes alone if none started */
	for (int i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
}
