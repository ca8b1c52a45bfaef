// SPDX-License-Identifier: GPL-2.0
/*
 * fsmbd: authentication, share policy and named pipes for fsmb.ko.
 *
 * Start-up happens in the foreground, so that a broken configuration or a
 * missing module is reported on the terminal with a non-zero exit: load
 * the configuration, register with the kernel, and only then daemonize.
 * After that one epoll loop serves kernel requests, module reloads and
 * signals (SIGHUP: reload the configuration and register again;
 * SIGTERM/SIGINT: exit, leaving established sessions to the kernel).
 * Once registered it keeps only CAP_NET_ADMIN (privs.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/stat.h>

#include "hex.h"
#include "log.h"
#include "netlink.h"
#include "privs.h"

#define FSMBD_VERSION		"0.1"
#define FSMBD_PIDFILE		"/run/fsmbd.pid"
#define FSMBD_GUID_FILE		"server_guid"
/* How often abandoned authentications are swept. */
#define FSMBD_SWEEP_MS		10000

static void usage(FILE *out)
{
	fprintf(out,
		"usage: fsmbd [-F] [-d LEVEL] [-c CONF]\n"
		"  -c, --config CONF   configuration file (default %s)\n"
		"  -F, --foreground    do not daemonize; log to stderr\n"
		"  -d, --debug LEVEL   debug messages up to LEVEL (1-3)\n"
		"  -h, --help          show this help\n"
		"      --version       show the version\n",
		FSMB_DEFAULT_CONF);
}

/* STATE_DIR/server_guid: 32 hex digits and a newline. */
static int read_guid(int fd, uint8_t guid[FSMB_GUID_LEN])
{
	char buf[2 * FSMB_GUID_LEN + 2];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n != 2 * FSMB_GUID_LEN &&
	    !(n == 2 * FSMB_GUID_LEN + 1 && buf[n - 1] == '\n'))
		return -1;
	return fsmb_hex_decode(buf, guid, FSMB_GUID_LEN);
}

/*
 * Write a new GUID to a temporary file and link it into place, so that a
 * reader never sees half a GUID and, should two daemons race, both end up
 * with the one that got there first.
 */
static int create_guid(const char *dir, const char *path)
{
	uint8_t guid[FSMB_GUID_LEN];
	char tmp[PATH_MAX + 32], text[2 * FSMB_GUID_LEN + 2];
	int fd, i, ret = 0;

	if (getrandom(guid, sizeof(guid), 0) != (ssize_t)sizeof(guid))
		return -EIO;
	for (i = 0; i < FSMB_GUID_LEN; i++)
		snprintf(text + 2 * i, 3, "%02x", guid[i]);
	text[2 * FSMB_GUID_LEN] = '\n';
	if (mkdir(dir, 0755) && errno != EEXIST)
		return -errno;
	if (snprintf(tmp, sizeof(tmp), "%s.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, text, sizeof(text) - 1) != (ssize_t)sizeof(text) - 1 ||
	    fsync(fd))
		ret = errno ? -errno : -EIO;
	close(fd);
	if (!ret && link(tmp, path) && errno != EEXIST)
		ret = -errno;
	unlink(tmp);
	return ret;
}

static int load_guid(const char *state_dir, uint8_t guid[FSMB_GUID_LEN])
{
	char path[PATH_MAX];
	int fd, ret, tries;

	if (snprintf(path, sizeof(path), "%s/%s", state_dir, FSMBD_GUID_FILE) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	for (tries = 0; tries < 2; tries++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			ret = read_guid(fd, guid);
			close(fd);
			if (ret)
				fsmb_log(LOG_ERR,
					 "%s is malformed; remove it to have a new server GUID made",
					 path);
			return ret ? -EINVAL : 0;
		}
		if (errno != ENOENT)
			break;
		ret = create_guid(state_dir, path);
		if (ret) {
			fsmb_log(LOG_ERR, "cannot create %s: %s", path,
				 strerror(-ret));
			return ret;
		}
	}
	fsmb_log(LOG_ERR, "cannot read %s: %s", path, strerror(errno));
	return -errno;
}

/* Log what the parser said, one line at a time. */
static void log_lines(int prio, char *text)
{
	char *save = NULL, *line;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		fsmb_log(prio, "%s", line);
}

/* SIGHUP: a broken new configuration leaves the running one in place. */
static void reload(struct fsmbd_ctx *ctx, struct fsmb_nl *nl, const char *path)
{
	struct fsmb_conf conf;
	uint8_t guid[FSMB_GUID_LEN];
	char *text = NULL;
	size_t len = 0;
	FILE *diag;
	int ret;

	diag = open_memstream(&text, &len);
	if (!diag) {
		fsmb_log(LOG_ERR, "cannot reload %s: out of memory", path);
		return;
	}
	ret = fsmb_conf_load(path, &conf, diag);
	fclose(diag);
	log_lines(ret ? LOG_ERR : LOG_WARNING, text);
	free(text);
	if (ret) {
		fsmb_log(LOG_ERR, "%s is broken: keeping the old configuration",
			 path);
		return;
	}
	if (load_guid(conf.state_dir, guid)) {
		fsmb_log(LOG_ERR, "keeping the old configuration");
		fsmb_conf_free(&conf);
		return;
	}
	fsmb_conf_free(&ctx->conf);
	ctx->conf = conf;
	memcpy(ctx->guid, guid, sizeof(guid));
	fsmb_log(LOG_NOTICE, "reloaded %s", path);
	fsmb_nl_register(nl);
}

/*
 * Fork into the background. The parent writes the child's pid file and
 * exits; the child detaches from the terminal.
 */
static int daemonize(void)
{
	pid_t pid = fork();
	int fd;

	if (pid < 0)
		return -errno;
	if (pid > 0) {
		fd = open(FSMBD_PIDFILE,
			  O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0 || dprintf(fd, "%ld\n", (long)pid) < 0) {
			fprintf(stderr, "fsmbd: cannot write %s: %s\n",
				FSMBD_PIDFILE, strerror(errno));
			kill(pid, SIGTERM);
			_exit(1);
		}
		close(fd);
		_exit(0);
	}
	if (setsid() < 0 || chdir("/"))
		return -errno;
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
	return 0;
}

static int epoll_add(int epfd, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = fd };

	return epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev);
}

static int serve(struct fsmbd_ctx *ctx, struct fsmb_nl *nl, const char *path,
		 const sigset_t *sigs)
{
	int epfd, sfd, nlfd = fsmb_nl_fd(nl), ctrlfd = fsmb_nl_ctrl_fd(nl);
	bool running = true;

	epfd = epoll_create1(EPOLL_CLOEXEC);
	sfd = signalfd(-1, sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (epfd < 0 || sfd < 0 || epoll_add(epfd, sfd) ||
	    epoll_add(epfd, nlfd) || epoll_add(epfd, ctrlfd)) {
		fsmb_log(LOG_ERR, "cannot set up the event loop: %s",
			 strerror(errno));
		return 1;
	}
	while (running) {
		struct epoll_event evs[4];
		int n, i;

		n = epoll_wait(epfd, evs, 4, FSMBD_SWEEP_MS);
		if (n < 0 && errno != EINTR) {
			fsmb_log(LOG_ERR, "epoll_wait: %s", strerror(errno));
			break;
		}
		for (i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			struct signalfd_siginfo si;

			if (fd == nlfd) {
				fsmb_nl_receive(nl);
			} else if (fd == ctrlfd) {
				if (fsmb_nl_ctrl_receive(nl))
					fsmb_nl_register(nl);
			} else {
				while (read(sfd, &si, sizeof(si)) ==
				       (ssize_t)sizeof(si)) {
					if (si.ssi_signo == SIGHUP)
						reload(ctx, nl, path);
					else
						running = false;
				}
			}
		}
		fsmb_auth_expire(ctx->auth);
	}
	fsmb_log(LOG_NOTICE, "exiting; established sessions stay up");
	close(sfd);
	close(epfd);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "foreground", no_argument, NULL, 'F' },
		{ "debug", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = FSMB_DEFAULT_CONF;
	struct fsmbd_ctx ctx = { 0 };
	bool foreground = false;
	struct fsmb_nl *nl;
	long debug = 0;
	sigset_t sigs;
	char *end;
	int c, err, ret;

	while ((c = getopt_long(argc, argv, "c:Fd:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			path = optarg;
			break;
		case 'F':
			foreground = true;
			break;
		case 'd':
			errno = 0;
			debug = strtol(optarg, &end, 10);
			if (errno || *end || debug < 0 || debug > 9) {
				fprintf(stderr, "fsmbd: bad debug level '%s'\n",
					optarg);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("fsmbd %s (netlink family %s version %d)\n",
			       FSMBD_VERSION, FSMB_GENL_NAME, FSMB_GENL_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	fsmb_log_init(true, (int)debug);

	/* Signals are read from a signalfd in the event loop. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (fsmb_conf_load(path, &ctx.conf, stderr)) {
		fprintf(stderr, "fsmbd: cannot start with %s\n", path);
		return 1;
	}
	ctx.auth = fsmb_auth_new();
	ctx.pipes = fsmb_pipes_new();
	if (!ctx.auth || !ctx.pipes) {
		fprintf(stderr, "fsmbd: out of memory\n");
		return 1;
	}
	if (load_guid(ctx.conf.state_dir, ctx.guid))
		return 1;
	nl = fsmb_nl_open(&ctx, &err);
	if (!nl) {
		if (err == -ENOENT)
			fprintf(stderr,
				"fsmbd: fsmb.ko is not loaded (modprobe fsmb)\n");
		else
			fprintf(stderr, "fsmbd: cannot talk to the kernel: %s\n",
				strerror(-err));
		return 1;
	}
	if (fsmb_nl_register(nl))
		return 1;
	if (!foreground) {
		err = daemonize();
		if (err) {
			fprintf(stderr, "fsmbd: cannot daemonize: %s\n",
				strerror(-err));
			return 1;
		}
		fsmb_log_init(false, (int)debug);
	}
	/* Registered, pid file written: from here on only CAP_NET_ADMIN. */
	if (fsmbd_drop_privileges())
		return 1;
	fsmb_log(LOG_NOTICE, "fsmbd %s serving as %s (%zu shares)",
		 FSMBD_VERSION, ctx.conf.netbios_name, ctx.conf.nshares);

	ret = serve(&ctx, nl, path, &sigs);

	fsmb_nl_close(nl);
	fsmb_pipes_free(ctx.pipes);
	fsmb_auth_free(ctx.auth);
	fsmb_conf_free(&ctx.conf);
	if (!foreground)
		unlink(FSMBD_PIDFILE);
	return ret;
}
