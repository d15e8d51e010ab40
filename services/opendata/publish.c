/* publish.c - files written aside and renamed into place, and monthly parts joined.
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mue_mem.h"
#include "publish.h"

int pub_mkdir(const char *dir)
{
    char path[PATH_MAX];
    size_t n = strlen(dir);

    if (n == 0 || n >= sizeof(path))
        return -ENAMETOOLONG;
    memcpy(path, dir, n + 1);
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
            return -errno;
        *p = '/';
    }
    if (mkdir(path, 0755) < 0 && errno != EEXIST)
        return -errno;
    return 0;
}

int pub_open(struct pub_file *p, const char *dir, const char *name)
{
    int fd;

    p->f = NULL;
    if ((size_t)snprintf(p->path, sizeof(p->path), "%s/%s", dir, name) >= sizeof(p->path) ||
        (size_t)snprintf(p->tmp, sizeof(p->tmp), "%s/.%s.tmp-%ld", dir, name, (long)getpid()) >=
            sizeof(p->tmp))
        return -ENAMETOOLONG;
    fd = open(p->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return -errno;
    p->f = fdopen(fd, "w");
    if (p->f == NULL) {
        int e = errno;
        close(fd);
        unlink(p->tmp);
        return -e;
    }
    return 0;
}

static int sync_dir(const char *path)
{
    char dir[PATH_MAX];
    char *slash;
    int fd, rc = 0;

    snprintf(dir, sizeof(dir), "%s", path);
    slash = strrchr(dir, '/');
    if (slash == NULL)
        return 0;
    *slash = '\0';
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    if (fsync(fd) < 0)
        rc = -errno;
    close(fd);
    return rc;
}

int pub_commit(struct pub_file *p)
{
    int rc = 0;

    if (p->f == NULL)
        return -EBADF;
    if (fflush(p->f) != 0 || ferror(p->f) || fsync(fileno(p->f)) < 0)
        rc = -(errno ? errno : EIO);
    if (fclose(p->f) != 0 && rc == 0)
        rc = -errno;
    p->f = NULL;
    if (rc == 0 && rename(p->tmp, p->path) < 0)
        rc = -errno;
    if (rc < 0) {
        unlink(p->tmp);
        return rc;
    }
    return sync_dir(p->path);
}

void pub_abort(struct pub_file *p)
{
    if (p->f == NULL)
        return;
    fclose(p->f);
    p->f = NULL;
    unlink(p->tmp);
}

int pub_sweep(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[PATH_MAX];
    int n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.' || strstr(e->d_name, ".tmp-") == NULL ||
            strncmp(e->d_name, ".index.html.tmp-", 16) == 0)
            continue;
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < sizeof(path) &&
            unlink(path) == 0)
            n++;
    }
    closedir(d);
    return n;
}

int pub_remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[PATH_MAX];
    int n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < sizeof(path) &&
            unlink(path) == 0)
            n++;
    }
    closedir(d);
    rmdir(dir);
    return n;
}

static int is_month_name(const char *s)
{
    for (int i = 0; i < 7; i++)
        if (i == 4 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    return 1;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int pub_parts(const char *dir, const char *suffix, char ***out)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t ls = strlen(suffix);
    int n = 0, cap = 0;
    char **v = NULL;

    *out = NULL;
    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        /* "YYYY-MM" then exactly the suffix: "2026-11.csv", "2026-11-measures.csv". */
        if (len != 7 + ls || !is_month_name(e->d_name) || strcmp(e->d_name + 7, suffix) != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            v = mue_xrealloc(v, (size_t)cap * sizeof(*v));
        }
        v[n++] = mue_xstrdup(e->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(v, (size_t)n, sizeof(*v), by_name);
    *out = v;
    return n;
}

void pub_names_free(char **names, int n)
{
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static FILE *open_part(const char *dir, const char *name)
{
    char path[PATH_MAX];

    if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
        return NULL;
    return fopen(path, "r");
}

int pub_join_csv(FILE *out, const char *dir, char **parts, int n)
{
    char *line = NULL, *header = NULL;
    size_t cap = 0;
    int rc = 0;

    for (int i = 0; i < n && rc == 0; i++) {
        FILE *in = open_part(dir, parts[i]);
        ssize_t len;
        int lineno = 0;

        if (in == NULL) {
            rc = -errno;
            break;
        }
        while ((len = getline(&line, &cap, in)) > 0) {
            /* One header, and every month must have the first one's columns. */
            if (lineno++ == 0 && header != NULL) {
                if (strcmp(line, header) != 0) {
                    rc = -EPROTO;
                    break;
                }
                continue;
            }
            if (header == NULL)
                header = mue_xstrdup(line);
            fwrite(line, 1, (size_t)len, out);
        }
        if (ferror(in))
            rc = -EIO;
        fclose(in);
    }
    free(line);
    free(header);
    if (rc == 0 && ferror(out))
        rc = -EIO;
    return rc;
}

/* An item line without its newline and its trailing comma. */
static size_t item_length(const char *line, size_t len)
{
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        len--;
    if (len > 0 && line[len - 1] == ',')
        len--;
    return len;
}

int pub_join_array(FILE *out, const char *dir, char **parts, int n, const char *open,
                   const char *close)
{
    char *line = NULL;
    size_t cap = 0;
    int rc = 0, items = 0;

    fprintf(out, "%s\n", open);
    for (int i = 0; i < n && rc == 0; i++) {
        FILE *in = open_part(dir, parts[i]);
        ssize_t len;
        char *held = NULL; /* the previous line: an item unless it is the closing one */
        size_t held_len = 0;

        if (in == NULL) {
            rc = -errno;
            break;
        }
        len = getline(&line, &cap, in);
        /* The opening alone on its line: not a part this service wrote otherwise. */
        if (len <= 0 || strcspn(line, "\r\n") != strlen(open) ||
            strncmp(line, open, strlen(open)) != 0)
            rc = -EPROTO;
        while (rc == 0 && (len = getline(&line, &cap, in)) > 0) {
            if (held != NULL) {
                fputs(items++ ? ",\n" : "", out);
                fwrite(held, 1, held_len, out);
                free(held);
            }
            held_len = item_length(line, (size_t)len);
            held = mue_xstrndup(line, held_len);
        }
        if (rc == 0 && (held == NULL || strcmp(held, close) != 0))
            rc = -EPROTO;
        free(held);
        if (ferror(in))
            rc = -EIO;
        fclose(in);
    }
    free(line);
    fprintf(out, "%s%s\n", items ? "\n" : "", close);
    if (rc == 0 && ferror(out))
        rc = -EIO;
    return rc;
}
