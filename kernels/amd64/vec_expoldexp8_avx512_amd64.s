//go:build !noasm

#include "textflag.h"
#include "vec_amd64.h"
#include "vec_math_avx512_amd64.h"
#define EXPOLD512(x, n, t, u) \
	VMAXPS       x, ZEXPLO, x; \
	VMINPS       x, ZEXPHI, x; \
	VMOVUPS      CV(K_MAGIC), n; \
	VFMADD231PS  CV(K_LOG2E), x, n; \
	VSUBPS       CV(K_MAGIC), n, n; \
	VFNMADD231PS CV(K_LN2HI), n, x; \
	VFNMADD231PS CV(K_LN2LO), n, x; \
	VMOVUPS      CV(K_EXPP5), t; \
	VFMADD213PS  CV(K_EXPP4), x, t; \
	VFMADD213PS  CV(K_EXPP3), x, t; \
	VFMADD213PS  CV(K_EXPP2), x, t; \
	VFMADD213PS  CV(K_EXPP1), x, t; \
	VFMADD213PS  CV(K_EXPP0), x, t; \
	VFMADD213PS  CV(K_ONE), x, t; \
	VFMADD213PS  CV(K_ONE), x, t; \
	VCVTPS2DQ    n, n; \
	VPSRAD       $1, n, u; \
	VPSUBD       u, n, n; \
	VPADDD       CV(K_I127), u, u; \
	VPSLLD       $23, u, u; \
	VPADDD       CV(K_I127), n, n; \
	VPSLLD       $23, n, n; \
	VMULPS       u, t, t; \
	VMULPS       n, t, x

#define DST DI // output, advances with SRC
#define SRC SI // input
#define N   CX // elements left (also the tail shift count)

TEXT ·VecExpOldExp8AVX512(SB), NOSPLIT, $0-48
	MOVQ    dst_base+0(FP), DST
	MOVQ    x_base+24(FP), SRC
	MOVQ    x_len+32(FP), N
	VMOVUPS CV(K_EXPLO), ZEXPLO
	VMOVUPS CV(K_EXPHI), ZEXPHI

loop32:
	// Two independent vectors (Z0 and Z15 with their scratch) per iteration.
	CMPQ    N, $32
	JLT     loop16
	VMOVUPS 0(SRC), Z0
	VMOVUPS 64(SRC), Z15
	EXPOLD512(Z0, Z1, Z2, Z3)
	EXPOLD512(Z15, Z16, Z17, Z18)
	VMOVUPS Z0, 0(DST)
	VMOVUPS Z15, 64(DST)
	ADDQ    $128, SRC
	ADDQ    $128, DST
	SUBQ    $32, N
	JMP     loop32

loop16:
	// One vector.
	CMPQ    N, $16
	JLT     tail
	VMOVUPS 0(SRC), Z0
	EXPOLD512(Z0, Z1, Z2, Z3)
	VMOVUPS Z0, 0(DST)
	ADDQ    $64, SRC
	ADDQ    $64, DST
	SUBQ    $16, N

tail:
	// The last 0..15 elements under the mask K3 = 2^N - 1 (zeroed lanes
	// are computed and dropped).
	TESTQ     N, N
	JZ        done
	MOVL      $1, AX
	SHLL      CX, AX
	DECL      AX
	KMOVW     AX, K3
	VMOVUPS.Z 0(SRC), K3, Z0
	EXPOLD512(Z0, Z1, Z2, Z3)
	VMOVUPS   Z0, K3, 0(DST)

done:
	VZEROUPPER
	RET
