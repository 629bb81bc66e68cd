/*
** entity.c: GET /v1/entities/{name}: the stories a person, organisation or
** place appears in, newest first, from the store's entity index (any
** spelling or script of the name; td_engine_entity_stories).
*/
#include "server.h"

#include <cjson/cJSON.h>
#include <string.h>

void srv_api_entity(srv_server *srv, const char *name, srv_reply *reply)
{
    td_entity_list *list = NULL;
    td_error err;
    td_status rc;
    srv_json b = {0};
    cJSON *root, *arr;
    size_t i;

    memset(&err, 0, sizeof err);
    pthread_mutex_lock(&srv->lock);
    rc = td_engine_entity_stories(srv->eng, name, &list, &err);
    pthread_mutex_unlock(&srv->lock);
    if (rc == TD_EINVAL) {
        srv_reply_error(reply, 400, "bad_name", err.msg);
        return;
    }
    if (rc != TD_OK) {
        srv_engine_error(reply, &err, rc);
        return;
    }
    root = srv_json_check(&b, cJSON_CreateObject());
    if (root) {
        srv_json_str(&b, root, "name", name);
        srv_json_str(&b, root, "key", list->key);
        arr = srv_json_check(&b, cJSON_AddArrayToObject(root, "stories"));
        for (i = 0; arr && i < list->n; i++) {
            const td_entity_story *r = &list->rows[i];
            cJSON *obj = srv_json_push(&b, arr);
            if (!obj)
                break;
            srv_json_num(&b, obj, "id", (double)r->story);
            srv_json_str(&b, obj, "title", r->title);
            srv_json_num(&b, obj, "articles", r->n_articles);
            srv_json_time(&b, obj, "last_date", r->last_date);
            srv_json_num(&b, obj, "naming", r->articles);
            srv_json_num(&b, obj, "mentions", r->mentions);
            srv_json_str(&b, obj, "as_named", r->name);
        }
    }
    td_entity_list_free(list);
    srv_json_finish(reply, &b, 200, root);
}
