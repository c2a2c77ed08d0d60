/* Instruction classes of the Thumb/Thumb-2 instruction set (ARMv7E-M with the single-precision FPU, as
 * on a Cortex-M4F) and an estimated cycle cost for each, for the profile mode of tinyfuse-icount.
 *
 * The cycle figures are an ESTIMATE from the Cortex-M4 Technical Reference Manual (Arm 100166_0001_00_en,
 * r0p1): section 3.3.1, Table 3-1 "Processor instruction set summary", and the FPU chapter's instruction
 * table. They assume zero wait states and ignore what the table's footnotes add or remove: neighbouring
 * loads and stores pipelining (the table's 2 cycles become 1), divides ending early (2..12 cycles, here
 * the middle), the pipeline refill P (1..3 cycles, here 2) of each taken branch, and FPU stalls. QEMU
 * models none of this timing; instruction counts stay the exact measure. */
#ifndef TINYFUSE_TOOLS_QEMU_ICOUNT_THUMB_CLASS_H_
#define TINYFUSE_TOOLS_QEMU_ICOUNT_THUMB_CLASS_H_

#include <stdint.h>

typedef enum {
  kThumbAlu = 0,     /* data processing, moves, compares, IT, hints, VMOV, FP add/convert/compare */
  kThumbLoadStore,   /* LDR*, STR*, LDM, STM, PUSH, POP, LDRD, STRD, VLDR, VSTR, VLDM, VSTM, VPUSH, VPOP */
  kThumbMultiply,    /* MUL, MLA, MLS, SMULL, UMULL, SMLAL, UMLAL, SMLA*, SMLAD, SMUAD, ..., VMUL, VMLA, VFMA */
  kThumbDivide,      /* SDIV, UDIV, VDIV, VSQRT */
  kThumbBranch,      /* B, BL, BX, BLX, CBZ, CBNZ, TBB, TBH, POP/LDM/LDR with PC, MOV/ADD to PC */
  kThumbNumClasses
} ThumbClass;

/* The refill P of a taken branch that the estimate adds (Table 3-1: 1 to 3 cycles). */
#define THUMB_TAKEN_BRANCH_REFILL 2u

typedef struct {
  ThumbClass cls;
  /* Estimated cycles when the instruction does not branch (a branch's untaken cost, 1). A taken branch
   * costs THUMB_TAKEN_BRANCH_REFILL more; the caller tells taken from untaken by where execution goes. */
  uint32_t cycles;
} ThumbInsnClass;

/* Classifies the instruction whose first halfword is hw1 and, for a 32-bit encoding (size 4), whose
 * second halfword is hw2 (ignored when size is 2). */
ThumbInsnClass ClassifyThumb(uint16_t hw1, uint16_t hw2, unsigned size);

#endif /* TINYFUSE_TOOLS_QEMU_ICOUNT_THUMB_CLASS_H_ */
