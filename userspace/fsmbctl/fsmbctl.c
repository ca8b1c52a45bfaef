// SPDX-License-Identifier: GPL-2.0
/*
 * fsmbctl: the fsmb admin tool. Local SMB users (kept in the state
 * directory that the configuration names) and the module's status.
 */
#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "config.h"
#include "fsmbctl.h"
#include "users.h"

#define FSMBCTL_VERSION		"0.1"
/* Longer than any password Windows accepts (256 characters). */
#define FSMBCTL_PASSWORD_MAX	1024

static const char fsmbctl_usage[] =
"Usage: fsmbctl [-c CONF] [-j] COMMAND\n"
"\n"
"Commands:\n"
"  user add NAME   add SMB user NAME, or set its password; NAME must be a\n"
"                  unix user. The password is the first line of standard\n"
"                  input when that is not a terminal, else asked twice.\n"
"  user del NAME   remove SMB user NAME\n"
"  user list       list the SMB users, one per line\n"
"  status          show whether fsmb.ko and fsmbd run, and their counters\n"
"\n"
"Options:\n"
"  -c, --config CONF  configuration file, which names the state directory\n"
"                     (default " FSMB_DEFAULT_CONF ")\n"
"  -j, --json         JSON output (status, user list)\n"
"  -h, --help         show this help\n"
"      --version      show the version\n"
"\n"
"Exit status: 0 done, 1 failed, 2 bad command line.\n";

__attribute__((format(printf, 1, 2)))
static int fsmbctl_bad_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fsmbctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'fsmbctl --help'.\n");
	return FSMBCTL_EXIT_USAGE;
}

/* Write @s as a JSON string. */
static void fsmbctl_json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* The terminal settings to put back if a signal ends a no-echo prompt. */
static struct termios fsmbctl_saved_tty;
static volatile sig_atomic_t fsmbctl_tty_changed;

static void fsmbctl_restore_tty(int sig)
{
	if (fsmbctl_tty_changed)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &fsmbctl_saved_tty);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * Read one line from standard input into @buf without its '\n'. read(2)
 * one byte at a time keeps the password out of stdio's buffers, which
 * nobody would wipe. Returns the length, or -1 with a message printed.
 */
static ssize_t fsmbctl_read_line(char *buf, size_t cap)
{
	size_t len = 0;
	char c;

	for (;;) {
		ssize_t n = read(STDIN_FILENO, &c, 1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "fsmbctl: reading the password: %s\n",
				strerror(errno));
			return -1;
		}
		if (!n || c == '\n')
			break;
		if (!c) {
			fprintf(stderr, "fsmbctl: the password contains a NUL byte\n");
			return -1;
		}
		if (len == cap - 1) {
			fprintf(stderr, "fsmbctl: the password is longer than %zu bytes\n",
				cap - 1);
			return -1;
		}
		buf[len++] = c;
	}
	buf[len] = '\0';
	return len;
}

/* Prompt on the terminal with echo off. */
static ssize_t fsmbctl_prompt(const char *prompt, char *buf, size_t cap)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
	struct sigaction sa = { .sa_handler = fsmbctl_restore_tty };
	struct sigaction old[sizeof(sigs) / sizeof(sigs[0])];
	struct termios quiet;
	ssize_t len;
	size_t i;

	if (tcgetattr(STDIN_FILENO, &fsmbctl_saved_tty)) {
		fprintf(stderr, "fsmbctl: terminal: %s\n", strerror(errno));
		return -1;
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, &old[i]);
	quiet = fsmbctl_saved_tty;
	quiet.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
	fprintf(stderr, "%s", prompt);
	fflush(stderr);
	fsmbctl_tty_changed = 1;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	len = fsmbctl_read_line(buf, cap);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &fsmbctl_saved_tty);
	fsmbctl_tty_changed = 0;
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &old[i], NULL);
	fputc('\n', stderr);
	return len;
}

/* The new password into @pw (FSMBCTL_PASSWORD_MAX bytes); 0 or -1. */
static int fsmbctl_get_password(char *pw)
{
	char again[FSMBCTL_PASSWORD_MAX];
	ssize_t len;
	int r = -1;

	if (!isatty(STDIN_FILENO)) {
		len = fsmbctl_read_line(pw, FSMBCTL_PASSWORD_MAX);
	} else {
		len = fsmbctl_prompt("New SMB password: ", pw,
				     FSMBCTL_PASSWORD_MAX);
		if (len > 0) {
			if (fsmbctl_prompt("Retype new SMB password: ", again,
					   sizeof(again)) < 0) {
				len = -1;
			} else if (strcmp(pw, again)) {
				fprintf(stderr, "fsmbctl: the passwords do not match\n");
				len = -1;
			}
		}
		explicit_bzero(again, sizeof(again));
	}
	if (!len)
		fprintf(stderr, "fsmbctl: empty password refused\n");
	else if (len > 0)
		r = 0;
	if (r)
		explicit_bzero(pw, FSMBCTL_PASSWORD_MAX);
	return r;
}

/* The state directory from @conf_path; NULL (reported) on a bad file. */
static char *fsmbctl_state_dir(const char *conf_path)
{
	struct fsmb_conf conf;
	char *dir;

	if (fsmb_conf_load(conf_path, &conf, stderr))
		return NULL;
	dir = strdup(conf.state_dir);
	if (!dir)
		fprintf(stderr, "fsmbctl: out of memory\n");
	fsmb_conf_free(&conf);
	return dir;
}

static void fsmbctl_users_error(const char *dir, const char *what, int err)
{
	if (err == -EBADMSG)
		fprintf(stderr,
			"fsmbctl: %s: %s/users has a malformed line; fix or remove it\n",
			what, dir);
	else
		fprintf(stderr, "fsmbctl: %s: %s: %s\n", what, dir,
			strerror(-err));
}

static int fsmbctl_user_add(const char *dir, const char *name)
{
	char pw[FSMBCTL_PASSWORD_MAX];
	uint8_t hash[FSMB_NT_HASH_LEN];
	bool existed;
	int r;

	if (!getpwnam(name)) {
		fprintf(stderr,
			"fsmbctl: '%s' is not a unix user: SMB users log in as unix users, create it first (useradd)\n",
			name);
		return FSMBCTL_EXIT_FAIL;
	}
	if (fsmbctl_get_password(pw))
		return FSMBCTL_EXIT_FAIL;
	/* Tell a bad password from a bad name before the file is touched. */
	r = fsmb_nt_hash(pw, hash);
	explicit_bzero(hash, sizeof(hash));
	if (r) {
		explicit_bzero(pw, sizeof(pw));
		fprintf(stderr, "fsmbctl: the password is not valid UTF-8\n");
		return FSMBCTL_EXIT_FAIL;
	}
	existed = !fsmb_users_lookup(dir, name, hash);
	explicit_bzero(hash, sizeof(hash));
	r = fsmb_users_set(dir, name, pw);
	explicit_bzero(pw, sizeof(pw));
	if (r == -EINVAL) {
		fprintf(stderr,
			"fsmbctl: '%s' cannot be an SMB user name (':' or control characters, or %d bytes or more)\n",
			name, FSMB_MAX_NAME);
		return FSMBCTL_EXIT_FAIL;
	}
	if (r) {
		fsmbctl_users_error(dir, "user add", r);
		return FSMBCTL_EXIT_FAIL;
	}
	printf(existed ? "Changed the password of SMB user %s\n" :
			 "Added SMB user %s\n", name);
	return FSMBCTL_EXIT_OK;
}

static int fsmbctl_user_del(const char *dir, const char *name)
{
	int r = fsmb_users_del(dir, name);

	if (r == -ENOENT) {
		fprintf(stderr, "fsmbctl: no SMB user '%s'\n", name);
		return FSMBCTL_EXIT_FAIL;
	}
	if (r) {
		fsmbctl_users_error(dir, "user del", r);
		return FSMBCTL_EXIT_FAIL;
	}
	printf("Removed SMB user %s\n", name);
	return FSMBCTL_EXIT_OK;
}

struct fsmbctl_list {
	bool json;
	size_t n;
};

static int fsmbctl_list_one(const char *name, void *arg)
{
	struct fsmbctl_list *l = arg;

	if (!l->json) {
		printf("%s\n", name);
		return 0;
	}
	putchar(l->n++ ? ',' : '[');
	fsmbctl_json_str(name);
	return 0;
}

static int fsmbctl_user_list(const char *dir, bool json)
{
	struct fsmbctl_list l = { .json = json };
	int r = fsmb_users_foreach(dir, fsmbctl_list_one, &l);

	if (json)
		printf(l.n ? "]\n" : "[]\n");
	if (r) {
		fsmbctl_users_error(dir, "user list", r);
		return FSMBCTL_EXIT_FAIL;
	}
	return FSMBCTL_EXIT_OK;
}

static int fsmbctl_user(const char *conf_path, int argc, char **argv,
			bool json)
{
	const char *sub = argv[0];
	int want = 0, r;
	char *dir;

	if (!sub)
		return fsmbctl_bad_usage("'user': expected add, del or list");
	if (!strcmp(sub, "add") || !strcmp(sub, "del"))
		want = 2;
	else if (!strcmp(sub, "list"))
		want = 1;
	else
		return fsmbctl_bad_usage("unknown command 'user %s'", sub);
	if (argc != want)
		return fsmbctl_bad_usage(want == 2 ? "'user %s' takes one NAME" :
					 "'user %s' takes no argument", sub);
	dir = fsmbctl_state_dir(conf_path);
	if (!dir)
		return FSMBCTL_EXIT_FAIL;
	if (!strcmp(sub, "add"))
		r = fsmbctl_user_add(dir, argv[1]);
	else if (!strcmp(sub, "del"))
		r = fsmbctl_user_del(dir, argv[1]);
	else
		r = fsmbctl_user_list(dir, json);
	free(dir);
	return r;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *conf_path = FSMB_DEFAULT_CONF;
	bool json = false;
	int c;

	/* '+': options end at the command, so names may start with '-'. */
	while ((c = getopt_long(argc, argv, "+c:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			conf_path = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'h':
			fputs(fsmbctl_usage, stdout);
			return FSMBCTL_EXIT_OK;
		case 'V':
			printf("fsmbctl %s (netlink family %s version %d)\n",
			       FSMBCTL_VERSION, FSMB_GENL_NAME,
			       FSMB_GENL_VERSION);
			return FSMBCTL_EXIT_OK;
		default:
			fprintf(stderr, "Try 'fsmbctl --help'.\n");
			return FSMBCTL_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (!argc)
		return fsmbctl_bad_usage("no command given");
	if (!strcmp(argv[0], "user"))
		return fsmbctl_user(conf_path, argc - 1, argv + 1, json);
	if (!strcmp(argv[0], "status")) {
		if (argc != 1)
			return fsmbctl_bad_usage("'status' takes no argument");
		return fsmbctl_status(json);
	}
	return fsmbctl_bad_usage("unknown command '%s'", argv[0]);
}
