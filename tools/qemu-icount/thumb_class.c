/* Thumb/Thumb-2 decoding down to the classes of thumb_class.h, after the encoding tables of the ARMv7-M
 * Architecture Reference Manual (chapter A5, "The Thumb Instruction Set Encoding"); cycle estimates after
 * the Cortex-M4 TRM's Table 3-1 and FPU instruction table (see thumb_class.h for what they leave out). */
#include "thumb_class.h"

enum {
  kCyclesAlu = 1,
  kCyclesLoadStore = 2,  /* LDR/STR single, VLDR/VSTR: 2 */
  kCyclesMultiply = 1,   /* MUL, MLA, MLS, long and DSP multiplies: 1 on the M4 */
  kCyclesFpMac = 3,      /* VMLA, VMLS, VNMLA, VNMLS, VFMA, VFMS, VFNMA, VFNMS: 3 */
  kCyclesDivide = 7,     /* SDIV/UDIV: 2 to 12, ending early; the middle */
  kCyclesFpDivide = 14,  /* VDIV, VSQRT: 14 */
  kCyclesBranch = 1,     /* untaken cost; a taken branch adds THUMB_TAKEN_BRANCH_REFILL (1 + P) */
  kCyclesTableBranch = 2 /* TBB/TBH: 2 + P */
};

static ThumbInsnClass Make(ThumbClass cls, uint32_t cycles) {
  ThumbInsnClass c;
  c.cls = cls;
  c.cycles = cycles;
  return c;
}

static uint32_t PopCount(uint32_t v) {
  uint32_t n = 0;
  for (; v != 0; v &= v - 1) ++n;
  return n;
}

/* A load or store multiple of n registers costs 1 + N; it branches when it loads the PC. */
static ThumbInsnClass Multiple(uint32_t n, int loads_pc) {
  return Make(loads_pc ? kThumbBranch : kThumbLoadStore, 1 + n);
}

static ThumbInsnClass Classify16(uint16_t hw) {
  if ((hw & 0xF800) == 0x4800) return Make(kThumbLoadStore, kCyclesLoadStore); /* LDR literal */
  if (hw >= 0x5000 && hw < 0xA000) return Make(kThumbLoadStore, kCyclesLoadStore);
  if ((hw & 0xFFC0) == 0x4340) return Make(kThumbMultiply, kCyclesMultiply); /* MULS */
  if ((hw & 0xFF00) == 0x4700) return Make(kThumbBranch, kCyclesBranch);     /* BX, BLX */
  if ((hw & 0xFD00) == 0x4400) {                                             /* ADD/MOV high registers */
    unsigned rd = ((hw >> 4) & 8u) | (hw & 7u);
    return Make(rd == 15 ? kThumbBranch : kThumbAlu, kCyclesAlu);
  }
  if ((hw & 0xFE00) == 0xB400) return Multiple(PopCount(hw & 0x1FFu), 0); /* PUSH */
  if ((hw & 0xFE00) == 0xBC00) return Multiple(PopCount(hw & 0x1FFu), (hw & 0x100) != 0); /* POP */
  if ((hw & 0xF500) == 0xB100) return Make(kThumbBranch, kCyclesBranch); /* CBZ, CBNZ */
  if ((hw & 0xF000) == 0xC000) return Multiple(PopCount(hw & 0xFFu), 0); /* STM, LDM */
  if ((hw & 0xF000) == 0xD000 && (hw & 0x0E00) != 0x0E00) return Make(kThumbBranch, kCyclesBranch);
  if ((hw & 0xF800) == 0xE000) return Make(kThumbBranch, kCyclesBranch); /* B */
  return Make(kThumbAlu, kCyclesAlu);
}

/* hw1 0xE800..0xE9FF: load/store multiple, dual, exclusive, table branch. */
static ThumbInsnClass ClassifyMultipleOrDual(uint16_t hw1, uint16_t hw2) {
  if ((hw1 & 0x0040) == 0) { /* LDM/STM (PUSH.W, POP.W) */
    int load = (hw1 & 0x0010) != 0;
    return Multiple(PopCount(hw2 & 0xDFFFu), load && (hw2 & 0x8000) != 0);
  }
  if ((hw1 & 0xFFF0) == 0xE8D0 && (hw2 & 0xFFE0) == 0xF000) { /* TBB, TBH */
    return Make(kThumbBranch, kCyclesTableBranch);
  }
  if ((hw1 & 0x0120) == 0 && (hw1 & 0x0080) == 0) { /* LDREX, STREX */
    return Make(kThumbLoadStore, kCyclesLoadStore);
  }
  return Multiple(2, 0); /* LDRD, STRD: 1 + N */
}

/* hw1 0xEC00..0xEFFF: FPU loads, stores, moves and data processing (coprocessors 10 and 11). */
static ThumbInsnClass ClassifyFloat(uint16_t hw1, uint16_t hw2) {
  if (hw1 < 0xEE00) {
    if ((hw1 & 0xFFE0) == 0xEC40) return Make(kThumbAlu, 2); /* VMOV two core registers: 2 */
    if ((hw1 & 0x0120) == 0x0100) return Make(kThumbLoadStore, kCyclesLoadStore); /* VLDR, VSTR */
    return Multiple(hw2 & 0xFFu, 0); /* VLDM, VSTM, VPUSH, VPOP: 1 + N words */
  }
  if ((hw2 & 0x0010) != 0) return Make(kThumbAlu, kCyclesAlu); /* VMOV core <-> FP, VMRS, VMSR */
  unsigned opc1 = ((hw1 >> 5) & 4u) | ((hw1 >> 4) & 3u);        /* bits 23, 21:20 */
  switch (opc1) {
    case 0: /* VMLA, VMLS */
    case 1: /* VNMLA, VNMLS */
    case 5: /* VFNMA, VFNMS */
    case 6: /* VFMA, VFMS */
      return Make(kThumbMultiply, kCyclesFpMac);
    case 2: /* VMUL, VNMUL */
      return Make(kThumbMultiply, kCyclesMultiply);
    case 4: /* VDIV */
      return Make(kThumbDivide, kCyclesFpDivide);
    case 7: /* other: VSQRT is opc2 0001 with opc3 11 */
      if ((hw1 & 0x000F) == 0x0001 && (hw2 & 0x00C0) == 0x00C0) return Make(kThumbDivide, kCyclesFpDivide);
      return Make(kThumbAlu, kCyclesAlu);
    default: /* VADD, VSUB */
      return Make(kThumbAlu, kCyclesAlu);
  }
}

static ThumbInsnClass Classify32(uint16_t hw1, uint16_t hw2) {
  if (hw1 < 0xEA00) return ClassifyMultipleOrDual(hw1, hw2);
  if (hw1 < 0xEC00) return Make(kThumbAlu, kCyclesAlu); /* data processing, shifted register */
  if (hw1 < 0xF000) return ClassifyFloat(hw1, hw2);
  if (hw1 < 0xF800) {
    if ((hw2 & 0x8000) == 0) return Make(kThumbAlu, kCyclesAlu); /* data processing, immediate */
    int misc = (hw2 & 0x5000) == 0 && (hw1 & 0x0380) == 0x0380;  /* MSR, MRS, hints, barriers */
    return Make(misc ? kThumbAlu : kThumbBranch, misc ? kCyclesAlu : kCyclesBranch);
  }
  if (hw1 < 0xFA00) { /* load/store single */
    int load_word = (hw1 & 0x0070) == 0x0050;
    if (load_word && (hw2 & 0xF000) == 0xF000) return Make(kThumbBranch, kCyclesLoadStore); /* LDR PC */
    return Make(kThumbLoadStore, kCyclesLoadStore);
  }
  if (hw1 < 0xFB00) return Make(kThumbAlu, kCyclesAlu); /* register data processing, parallel add/sub */
  if ((hw1 & 0xFFF0) == 0xFB90 || (hw1 & 0xFFF0) == 0xFBB0) return Make(kThumbDivide, kCyclesDivide);
  if (hw1 < 0xFC00) return Make(kThumbMultiply, kCyclesMultiply); /* (long) multiply, MAC, dual MAC */
  return Make(kThumbAlu, kCyclesAlu);                               /* other coprocessor space */
}

ThumbInsnClass ClassifyThumb(uint16_t hw1, uint16_t hw2, unsigned size) {
  return size == 4 ? Classify32(hw1, hw2) : Classify16(hw1);
}
