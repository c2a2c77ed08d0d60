/* The part of QEMU's TCG plugin API (API version 1, as in QEMU 7.2) that the icount plugin uses,
 * declared from the documented interface. Debian ships QEMU with plugin support but without its
 * header, so the project declares what it calls. The function names and signatures, the enum values
 * and the two exported symbols must match what QEMU expects; everything else here is our own naming.
 *
 * Contract with QEMU, as documented:
 * - a plugin exports `int qemu_plugin_version` (QEMU 7.2 accepts 0..1) and
 *   `int qemu_plugin_install(id, info, argc, argv)`, which returns 0 on success; each argv entry is one
 *   "name=value" given after the plugin file on the -plugin option;
 * - the API functions below are resolved from the QEMU executable when the plugin is loaded;
 * - handles of translation blocks and instructions are only valid inside the translation callback. */
#ifndef TINYFUSE_TOOLS_QEMU_ICOUNT_QEMU_PLUGIN_API_H_
#define TINYFUSE_TOOLS_QEMU_ICOUNT_QEMU_PLUGIN_API_H_

#include <stddef.h>
#include <stdint.h>

#define TFI_EXPORT __attribute__((visibility("default")))

/* The API version this plugin is written against. */
#define TFI_PLUGIN_API_VERSION 1

typedef uint64_t qemu_plugin_id_t;

/* Opaque to us: the plugin never reads the system information QEMU passes to install. */
struct tfi_qemu_info;
/* Opaque handles of a translation block and of one guest instruction in it. */
struct qemu_plugin_tb;
struct qemu_plugin_insn;

/* Register access a callback needs; the counter needs none. */
enum tfi_cb_flags { kTfiCbNoRegs = 0, kTfiCbReadRegs = 1, kTfiCbReadWriteRegs = 2 };
/* Inline operations: the only one in API version 1 adds an immediate to a uint64_t in memory. */
enum tfi_inline_op { kTfiInlineAddU64 = 0 };

typedef void (*tfi_tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*tfi_vcpu_udata_cb)(unsigned int vcpu_index, void *userdata);
typedef void (*tfi_udata_cb)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tfi_tb_trans_cb cb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum tfi_inline_op op,
                                              void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, tfi_vcpu_udata_cb cb,
                                            enum tfi_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
                                                enum tfi_inline_op op, void *ptr, uint64_t imm);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
/* The instruction's bytes as fetched (little-endian halfwords for Thumb) and their number. */
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, tfi_udata_cb cb, void *userdata);
void qemu_plugin_outs(const char *string);

/* What the plugin itself exports. */
TFI_EXPORT extern int qemu_plugin_version;
TFI_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct tfi_qemu_info *info, int argc,
                                   char **argv);

#endif /* TINYFUSE_TOOLS_QEMU_ICOUNT_QEMU_PLUGIN_API_H_ */
