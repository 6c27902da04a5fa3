/*
 * timeit.c - run one command and append its cost to a file, for
 * tests/bench.sh: "WALL_US CPU_US MAXRSS_KB" (CPU is user + system of the
 * child and everything it waited for; peak RSS is the largest of them).
 * The command's output goes where timeit's goes; its exit status is
 * timeit's.
 *
 *   timeit OUT COMMAND [ARG]...
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long usec(struct timeval tv)
{
	return (long long)tv.tv_sec * 1000000 + tv.tv_usec;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	FILE *out;
	pid_t pid;
	int status;

	if (argc < 3) {
		fprintf(stderr, "usage: timeit OUT COMMAND [ARG]...\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("timeit: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "timeit: cannot run '%s': %s\n", argv[2],
			strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("timeit: wait");
			return 2;
		}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out = fopen(argv[1], "a");
	if (!out) {
		perror("timeit: output");
		return 2;
	}
	fprintf(out, "%lld %lld %ld\n",
		(long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
		(t1.tv_nsec - t0.tv_nsec) / 1000,
		usec(ru.ru_utime) + usec(ru.ru_stime), ru.ru_maxrss);
	fclose(out);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
		WTERMSIG(status);
}
