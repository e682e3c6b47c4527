/*
 * secure_storage example host: stores two objects through the TA, reads
 * them back, deletes one and checks it is gone. Exit status 0 on success.
 */
#include <err.h>
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>

#include <secure_storage_ta.h>

#define TEE_ERROR_ITEM_NOT_FOUND 0xFFFF0008

struct ctx {
	TEEC_Context ctx;
	TEEC_Session sess;
};

static TEEC_Result invoke(struct ctx *c, uint32_t cmd, const char *id, void *data, size_t *len,
			  uint32_t data_type)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, data_type, TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	if (data_type != TEEC_NONE) {
		op.params[1].tmpref.buffer = data;
		op.params[1].tmpref.size = *len;
	}
	res = TEEC_InvokeCommand(&c->sess, cmd, &op, &origin);
	if (data_type == TEEC_MEMREF_TEMP_OUTPUT)
		*len = op.params[1].tmpref.size;
	return res;
}

static TEEC_Result write_obj(struct ctx *c, const char *id, const char *data, size_t len)
{
	return invoke(c, TA_SECURE_STORAGE_CMD_WRITE_RAW, id, (void *)data, &len, TEEC_MEMREF_TEMP_INPUT);
}

static TEEC_Result read_obj(struct ctx *c, const char *id, char *data, size_t *len)
{
	return invoke(c, TA_SECURE_STORAGE_CMD_READ_RAW, id, data, len, TEEC_MEMREF_TEMP_OUTPUT);
}

static TEEC_Result delete_obj(struct ctx *c, const char *id)
{
	return invoke(c, TA_SECURE_STORAGE_CMD_DELETE, id, NULL, NULL, TEEC_NONE);
}

int main(void)
{
	struct ctx c;
	TEEC_UUID uuid = TA_SECURE_STORAGE_UUID;
	uint32_t origin = 0;
	char obj1[] = "object#1 data: stored in TEE_STORAGE_PRIVATE";
	char obj2[7000];
	char back[8192];
	size_t len;
	TEEC_Result res;

	for (size_t i = 0; i < sizeof(obj2); i++)
		obj2[i] = (char)('A' + i % 26);
	if (TEEC_InitializeContext(NULL, &c.ctx) != TEEC_SUCCESS)
		errx(1, "TEEC_InitializeContext failed");
	res = TEEC_OpenSession(&c.ctx, &c.sess, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS)
		errx(1, "TEEC_OpenSession failed: 0x%x origin 0x%x", res, origin);

	printf("- Create and write object#1 and object#2\n");
	if ((res = write_obj(&c, "object#1", obj1, sizeof(obj1))) != TEEC_SUCCESS)
		errx(1, "write object#1: 0x%x", res);
	if ((res = write_obj(&c, "object#2", obj2, sizeof(obj2))) != TEEC_SUCCESS)
		errx(1, "write object#2: 0x%x", res);

	printf("- Read back object#1\n");
	len = sizeof(back);
	if ((res = read_obj(&c, "object#1", back, &len)) != TEEC_SUCCESS)
		errx(1, "read object#1: 0x%x", res);
	if (len != sizeof(obj1) || memcmp(back, obj1, len))
		errx(1, "object#1 content differs");

	printf("- Read object#2 into a short buffer, then a large enough one\n");
	len = 16;
	res = read_obj(&c, "object#2", back, &len);
	if (res != TEEC_ERROR_SHORT_BUFFER || len != sizeof(obj2))
		errx(1, "short read of object#2: 0x%x, size %zu", res, len);
	len = sizeof(back);
	if ((res = read_obj(&c, "object#2", back, &len)) != TEEC_SUCCESS || len != sizeof(obj2) ||
	    memcmp(back, obj2, len))
		errx(1, "read object#2: 0x%x", res);

	printf("- Delete object#1 and check it is gone\n");
	if ((res = delete_obj(&c, "object#1")) != TEEC_SUCCESS)
		errx(1, "delete object#1: 0x%x", res);
	len = sizeof(back);
	if ((res = read_obj(&c, "object#1", back, &len)) != TEE_ERROR_ITEM_NOT_FOUND)
		errx(1, "object#1 still readable: 0x%x", res);
	if ((res = delete_obj(&c, "object#2")) != TEEC_SUCCESS)
		errx(1, "delete object#2: 0x%x", res);

	printf("We're done, close and release TEE resources\n");
	TEEC_CloseSession(&c.sess);
	TEEC_FinalizeContext(&c.ctx);
	return 0;
}
