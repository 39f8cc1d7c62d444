#ifndef C_HIREDIS_SHIM_H
#define C_HIREDIS_SHIM_H
#include <hiredis/hiredis.h>
#include <sys/time.h>

/// `redisCommand` is variadic; Swift calls `redisCommandArgv` through this wrapper instead.
static inline redisReply *c_hiredis_command_argv(redisContext *c, int argc, const char **argv, const size_t *argvlen) {
    return (redisReply *)redisCommandArgv(c, argc, argv, argvlen);
}
/// Queues a command for pipelining.
static inline int c_hiredis_append_argv(redisContext *c, int argc, const char **argv, const size_t *argvlen) {
    return redisAppendCommandArgv(c, argc, argv, argvlen);
}
/// Reads the next pipelined reply.
static inline redisReply *c_hiredis_get_reply(redisContext *c) {
    void *reply = NULL;
    if (redisGetReply(c, &reply) != REDIS_OK) { return NULL; }
    return (redisReply *)reply;
}
static inline redisContext *c_hiredis_connect(const char *host, int port, long timeout_ms) {
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    return redisConnectWithTimeout(host, port, tv);
}
static inline int c_hiredis_set_timeout(redisContext *c, long timeout_ms) {
    struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
    return redisSetTimeout(c, tv);
}
#endif
