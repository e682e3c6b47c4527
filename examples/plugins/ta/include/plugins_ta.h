/* The plugins example: a TA asks a supplicant plugin to reverse a string. */
#ifndef PLUGINS_TA_H
#define PLUGINS_TA_H

#define TA_PLUGINS_UUID { 0x8c3e7a10, 0x5b2d, 0x4f6e, \
		{ 0x9a, 0x1c, 0x2d, 0x3e, 0x4f, 0x5a, 0x6b, 0x05 } }

/* The reverse plugin (plugin/reverse_plugin.c). */
#define REVERSE_PLUGIN_UUID { 0x3f9d8a21, 0x6c4b, 0x4e7f, \
		{ 0xa1, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70, 0x81 } }
#define REVERSE_PLUGIN_CMD_REVERSE 1

/* [inout] memref[0]: text, reversed by the plugin */
#define TA_PLUGINS_CMD_REVERSE 0

#endif
