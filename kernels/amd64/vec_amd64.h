// Offsets of the rows of vecConsts (vec_consts.go): row k is 16 lanes
// of one 32-bit constant at byte 64·k. Keep in step with the vk constants.

#define K_LOG2E 0
#define K_MAGIC 64
#define K_LN2HI 128
#define K_LN2LO 192
#define K_EXPP0 256
#define K_EXPP1 320
#define K_EXPP2 384
#define K_EXPP3 448
#define K_EXPP4 512
#define K_EXPP5 576
#define K_ONE 640
#define K_EXPLO 704
#define K_EXPHI 768
#define K_I127 832
#define K_ABSMASK 896
#define K_SIGNMASK 960
#define K_TANHP0 1024
#define K_TANHP1 1088
#define K_TANHP2 1152
#define K_TANHP3 1216
#define K_TANHP4 1280
#define K_TANHSMALL 1344
#define K_ERFP0 1408
#define K_ERFP1 1472
#define K_ERFP2 1536
#define K_ERFP3 1600
#define K_ERFP4 1664
#define K_ERFCQ0 1728
#define K_ERFCQ1 1792
#define K_ERFCQ2 1856
#define K_ERFCQ3 1920
#define K_ERFCQ4 1984
#define K_ERFCQ5 2048
#define K_ERFCQ6 2112
#define K_ERFCQ7 2176
#define K_ERFCQ8 2240
#define K_ERFCQ9 2304
#define K_ERFCT0 2368
#define K_TWO 2432
#define K_HALF 2496
#define K_ERFCLAMP 2560
#define K_GELUCLAMP 2624
#define K_NEGGELUCLAMP 2688
#define K_INVSQRT2 2752
#define K_GELUK0 2816
#define K_GELUK1 2880
#define K_NEGMAX 2944
#define K_NEGINF 3008
#define K_ZERO 3072
#define K_EXPSUB 3136
#define K_F126 3200

// CV(k) is the constant row at offset k as a memory operand.
#define CV(k) ·vecConsts+k(SB)
