// The kernel emulator: `bn254.cu` compiled by the host C++ compiler, each kernel launched as a
// loop over its thread indices (in order, on the calling thread). It exists so that the
// kernels' arithmetic and indexing are tested on machines without a GPU, against arkworks; it
// says nothing about CUDA's memory model, launch limits or NVRTC, which `cloudana-prover
// gpu-check` covers on a GPU machine.

#include <stdint.h>

thread_local uint32_t cld_emu_thread;

#include "bn254.cu"

typedef const u32 *in_t;
typedef u32 *out_t;

// Kernel ids: `cloudana_gpu::Kernel`'s discriminants, in the same order.
extern "C" int cld_emu_launch(u32 kernel, u32 threads, const u64 *a, u32 count) {
#define P(i) ((u32 *)(uintptr_t)a[i])
#define U(i) ((u32)a[i])
#define EACH(n, call) \
	do { \
		if (count != (n)) return -2; \
		for (u32 t = 0; t < threads; t++) { \
			cld_emu_thread = t; \
			call; \
		} \
	} while (0)
	switch (kernel) {
	case 0: EACH(9, msm_g1_partial(P(0), P(1), U(2), U(3), U(4), U(5), P(6), P(7), U(8))); break;
	case 1: EACH(4, msm_g1_reduce(P(0), U(1), U(2), P(3))); break;
	case 2: EACH(9, msm_g2_partial(P(0), P(1), U(2), U(3), U(4), U(5), P(6), P(7), U(8))); break;
	case 3: EACH(4, msm_g2_reduce(P(0), U(1), U(2), P(3))); break;
	case 4: EACH(2, fr_from_montgomery(P(0), U(1))); break;
	case 5: EACH(4, fr_bit_reverse(P(0), P(1), U(2), U(3))); break;
	case 6: EACH(4, ntt_stage(P(0), P(1), U(2), U(3))); break;
	case 7: EACH(4, fr_scale_powers(P(0), P(1), P(2), U(3))); break;
	case 8: EACH(4, fr_mul_elements(P(0), P(1), P(2), U(3))); break;
	case 9: EACH(5, fr_quotient(P(0), P(1), P(2), P(3), U(4))); break;
	default: return -1;
	}
	return 0;
#undef P
#undef U
#undef EACH
}
