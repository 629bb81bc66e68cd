/*
** http.c: the libmicrohttpd glue of `tidings serve`: a thread pool polls the
** sockets; each request gets a small state (its body, capped at
** SRV_MAX_BODY), is routed by method and path, and is answered once fully
** received. Request counts and latencies are kept for /metrics.
*/
#include "server.h"

#include <microhttpd.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

const int srv_counted_codes[SRV_N_CODES] = {200, 202, 204, 400, 404, 405,
                                            411, 413, 415, 500, 503};
const double srv_latency_bounds[SRV_N_BUCKETS] = {
    0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30};

/* Past the cap a body is read and dropped (the response cannot be sent
** before the upload ends); past this much more the connection is closed. */
#define DISCARD_LIMIT (64u << 20)

/* The state of one request, kept across the calls of the access handler. */
typedef struct request {
    struct timespec start;
    int status;             /* the status queued, 0 before */
    int wants_body;         /* a POST /v1/articles we will parse */
    int lines;              /* its body is JSON Lines */
    int too_big;            /* the body passed SRV_MAX_BODY */
    char *body;
    size_t len, cap;
    size_t discarded;
} request;

/* The media type of a Content-Type value, lowercased, without parameters. */
static void media_type(const char *value, char *out, size_t cap)
{
    size_t n = 0;
    if (!value)
        value = "";
    while (*value == ' ' || *value == '\t')
        value++;
    while (*value && *value != ';' && *value != ' ' && *value != '\t' &&
           n + 1 < cap) {
        char c = *value++;
        out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
}

/* 1: JSON, 2: JSON Lines, 0: anything else. */
static int body_kind(struct MHD_Connection *conn)
{
    char type[64];
    media_type(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                           MHD_HTTP_HEADER_CONTENT_TYPE),
               type, sizeof type);
    if (strcmp(type, "application/json") == 0)
        return 1;
    if (strcmp(type, "application/x-ndjson") == 0 ||
        strcmp(type, "application/jsonl") == 0 ||
        strcmp(type, "application/x-jsonlines") == 0 ||
        strcmp(type, "application/jsonlines") == 0)
        return 2;
    return 0;
}

/* Paths with dot segments or backslashes are refused before routing, so no
** route ever sees "..". */
static int bad_path(const char *url)
{
    const char *p;
    if (url[0] != '/' || strchr(url, '\\'))
        return 1;
    for (p = url; (p = strchr(p, '/')) != NULL; p++) {
        if (p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
            return 1;
        if (p[1] == '.' && p[2] == '.' && (p[3] == '/' || p[3] == '\0'))
            return 1;
    }
    return 0;
}

static int is_get(const char *method)
{
    return strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
           strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
}

static const char *get_arg(void *ud, const char *name)
{
    return MHD_lookup_connection_value(ud, MHD_GET_ARGUMENT_KIND, name);
}

static void method_not_allowed(srv_reply *reply, const char *allow)
{
    char msg[96];
    snprintf(msg, sizeof msg, "method not allowed; use %s", allow);
    srv_reply_error(reply, 405, "method_not_allowed", msg);
}

/* Routes a fully received request. *allow gets the Allow header for 405. */
static void dispatch(srv_server *srv, struct MHD_Connection *conn,
                     const char *url, const char *method, request *req,
                     srv_reply *reply, const char **allow)
{
    static const char stories[] = "/v1/stories", articles[] = "/v1/articles";
    size_t i;
    *allow = NULL;
    if (bad_path(url)) {
        srv_reply_error(reply, 400, "bad_path", "path with dot segments");
        return;
    }
    if (strcmp(url, articles) == 0) {
        if (strcmp(method, MHD_HTTP_METHOD_POST) != 0) {
            method_not_allowed(reply, *allow = "POST");
            return;
        }
        srv_api_post_articles(srv, req->body ? req->body : "", req->len,
                              req->lines, reply);
        return;
    }
    /* Every other route is read only. */
    if (!is_get(method)) {
        int known = strcmp(url, "/healthz") == 0 ||
                    strcmp(url, "/metrics") == 0 ||
                    strcmp(url, stories) == 0 ||
                    strncmp(url, "/v1/stories/", 12) == 0 ||
                    strncmp(url, "/v1/articles/", 13) == 0 ||
                    strncmp(url, "/v1/entities/", 13) == 0;
        for (i = 0; !known && i < srv_page_n_files; i++)
            known = strcmp(url, srv_page_files[i].path) == 0;
        if (known) {
            method_not_allowed(reply, *allow = "GET, HEAD");
            return;
        }
        srv_reply_error(reply, 404, "not_found", "no such path");
        return;
    }
    if (strcmp(url, "/healthz") == 0) {
        static char ok[] = "{\"status\": \"ok\"}";
        reply->status = 200;
        reply->content_type = "application/json";
        reply->body = ok;
        reply->len = sizeof ok - 1;
        reply->body_static = 1;
    } else if (strcmp(url, "/metrics") == 0) {
        srv_api_metrics(srv, reply);
    } else if (strcmp(url, stories) == 0) {
        srv_api_stories(srv, get_arg, conn, reply);
    } else if (strncmp(url, "/v1/stories/", 12) == 0) {
        srv_api_story(srv, url + 12, reply);
    } else if (strncmp(url, "/v1/articles/", 13) == 0) {
        srv_api_article(srv, url + 13, reply);
    } else if (strncmp(url, "/v1/entities/", 13) == 0) {
        srv_api_entity(srv, url + 13, reply);
    } else {
        for (i = 0; i < srv_page_n_files; i++) {
            if (strcmp(url, srv_page_files[i].path) == 0) {
                reply->status = 200;
                reply->content_type = srv_page_files[i].content_type;
                reply->body = (char *)srv_page_files[i].data;
                reply->len = srv_page_files[i].len;
                reply->body_static = 1;
                return;
            }
        }
        srv_reply_error(reply, 404, "not_found", "no such path");
    }
}

static enum MHD_Result send_reply(struct MHD_Connection *conn, request *req,
                                  srv_reply *reply, const char *allow)
{
    struct MHD_Response *resp;
    enum MHD_Result rc;
    resp = MHD_create_response_from_buffer(
        reply->len, reply->body,
        reply->body_static ? MHD_RESPMEM_PERSISTENT : MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        if (!reply->body_static)
            free(reply->body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            reply->content_type);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (strncmp(reply->content_type, "text/html", 9) == 0) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                                "no-cache");
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:");
    } else {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                                "no-store");
    }
    if (allow)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    rc = MHD_queue_response(conn, (unsigned)reply->status, resp);
    MHD_destroy_response(resp);
    if (rc == MHD_YES)
        req->status = reply->status;
    return rc;
}

/* An answer before the body is read (MHD then closes the connection). */
static enum MHD_Result refuse_early(struct MHD_Connection *conn,
                                    request *req, int status,
                                    const char *code, const char *message)
{
    srv_reply reply;
    memset(&reply, 0, sizeof reply);
    srv_reply_error(&reply, status, code, message);
    return send_reply(conn, req, &reply, NULL);
}

/* Appends a chunk of the body; past the cap the body is dropped. */
static enum MHD_Result take_body(request *req, const char *data, size_t n)
{
    if (!req->wants_body || req->too_big) {
        req->discarded += n;
        return req->discarded > DISCARD_LIMIT ? MHD_NO : MHD_YES;
    }
    if (n > SRV_MAX_BODY - req->len) {
        req->too_big = 1;
        free(req->body);
        req->body = NULL;
        req->len = req->cap = 0;
        req->discarded += n;
        return MHD_YES;
    }
    if (req->len + n + 1 > req->cap) {
        size_t cap = req->cap ? req->cap : 65536;
        char *grown;
        while (cap < req->len + n + 1)
            cap *= 2;
        if (cap > SRV_MAX_BODY + 1)
            cap = SRV_MAX_BODY + 1;
        if (!(grown = realloc(req->body, cap)))
            return MHD_NO;
        req->body = grown;
        req->cap = cap;
    }
    memcpy(req->body + req->len, data, n);
    req->len += n;
    req->body[req->len] = '\0';
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    srv_server *srv = cls;
    request *req = *con_cls;
    srv_reply reply;
    const char *allow = NULL;
    (void)version;
    if (!req) {
        /* First call: headers only. A POST we will not accept is refused
        ** now, before its body is read. */
        const char *length;
        if (!(req = calloc(1, sizeof *req)))
            return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &req->start);
        atomic_fetch_add(&srv->in_flight, 1);
        *con_cls = req;
        if (strcmp(url, "/v1/articles") != 0 ||
            strcmp(method, MHD_HTTP_METHOD_POST) != 0)
            return MHD_YES;
        switch (body_kind(conn)) {
        case 0:
            return refuse_early(conn, req, 415, "unsupported_media_type",
                                "use application/json or "
                                "application/x-ndjson (JSON Lines)");
        case 2:
            req->lines = 1;
            break;
        default:
            break;
        }
        length = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                             MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length && strtoull(length, NULL, 10) > SRV_MAX_BODY)
            return refuse_early(conn, req, 413, "too_large",
                                "body over 16 MiB; split the batch");
        req->wants_body = 1;
        return MHD_YES;
    }
    if (*upload_data_size) {
        enum MHD_Result rc = take_body(req, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return rc;
    }
    if (req->status)
        return MHD_YES;   /* already answered */
    memset(&reply, 0, sizeof reply);
    if (req->too_big)
        srv_reply_error(&reply, 413, "too_large",
                        "body over 16 MiB; split the batch");
    else
        dispatch(srv, conn, url, method, req, &reply, &allow);
    return send_reply(conn, req, &reply, allow);
}

static void on_completed(void *cls, struct MHD_Connection *conn,
                         void **con_cls, enum MHD_RequestTerminationCode toe)
{
    srv_server *srv = cls;
    request *req = *con_cls;
    struct timespec end;
    double secs;
    size_t i;
    (void)conn;
    (void)toe;
    if (!req)
        return;
    if (req->status) {
        clock_gettime(CLOCK_MONOTONIC, &end);
        secs = (double)(end.tv_sec - req->start.tv_sec) +
               (double)(end.tv_nsec - req->start.tv_nsec) / 1e9;
        for (i = 0; i < SRV_N_CODES; i++)
            if (srv_counted_codes[i] == req->status)
                break;
        atomic_fetch_add(&srv->metrics.requests[i], 1);
        for (i = 0; i < SRV_N_BUCKETS; i++)
            if (secs <= srv_latency_bounds[i])
                break;
        if (i < SRV_N_BUCKETS)
            atomic_fetch_add(&srv->metrics.latency_bucket[i], 1);
        atomic_fetch_add(&srv->metrics.latency_count, 1);
        atomic_fetch_add(&srv->metrics.latency_sum_us,
                         (unsigned long long)(secs * 1e6));
    }
    free(req->body);
    free(req);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->in_flight, 1);
}

struct MHD_Daemon *srv_http_start(srv_server *srv, const char *addr,
                                  unsigned port, unsigned *bound_port)
{
    struct addrinfo hints, *ai = NULL;
    struct MHD_Daemon *daemon;
    const union MHD_DaemonInfo *info;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO |
                     MHD_USE_ITC | MHD_USE_ERROR_LOG;
    char port_text[16];
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
    snprintf(port_text, sizeof port_text, "%u", port);
    if (getaddrinfo(addr, port_text, &hints, &ai) != 0 || !ai) {
        fprintf(stderr, "tidings serve: bad --bind address '%s' (a numeric "
                        "IPv4 or IPv6 address)\n", addr);
        return NULL;
    }
    if (ai->ai_family == AF_INET6)
        flags |= MHD_USE_IPv6;
    daemon = MHD_start_daemon(
        flags, (uint16_t)port, NULL, NULL, on_request, srv,
        MHD_OPTION_SOCK_ADDR, ai->ai_addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)4,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)SRV_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SRV_IDLE_SECONDS,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_MAX_HEAD,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_END);
    freeaddrinfo(ai);
    if (!daemon)
        return NULL;
    info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    *bound_port = info ? info->port : port;
    return daemon;
}

void srv_http_stop(srv_server *srv, struct MHD_Daemon *daemon,
                   unsigned timeout_ms)
{
    MHD_socket listener = MHD_quiesce_daemon(daemon);
    unsigned waited = 0;
    struct timespec tick = {0, 10 * 1000 * 1000};
    if (listener != MHD_INVALID_SOCKET)
        close(listener);
    while (atomic_load(&srv->in_flight) > 0 && waited < timeout_ms) {
        nanosleep(&tick, NULL);
        waited += 10;
    }
    MHD_stop_daemon(daemon);
}
