// Cloudana's CUDA kernels for Groth16 over BN254: Montgomery arithmetic in Fq, Fq2 and Fr,
// Jacobian point arithmetic on G1 and G2, bucket (Pippenger) multi-scalar multiplication,
// radix-2 NTT and the element-wise steps of the quotient polynomial.
//
// One source, two compilers. NVRTC compiles it for the GPU (`__CUDACC_RTC__` is defined); the
// host C++ compiler compiles it for the emulator (`emu.cpp`), which runs every kernel thread by
// thread on the CPU so that the kernels' arithmetic is tested on machines without a GPU. So: no
// headers under NVRTC, no shared memory, no inline PTX, no atomics; each thread's work depends
// only on its index.
//
// Inlining: field operations are inlined; Fq2 products and the point formulas are calls
// (`__noinline__`), which keeps the PTX at ~1.6 MB and NVRTC's compile near 10 s per
// architecture (everything inlined: 4 MB of PTX, 100 s). Which is faster on a GPU is for
// `scripts/bench-gpu.sh` to say.
//
// Layouts (all little-endian 32-bit words, the byte layout of arkworks' `BigInt<4>` limbs):
// - a field element is 8 words in Montgomery form (R = 2^256), as arkworks stores `Fp` values;
// - a scalar for an MSM is 8 words in canonical (not Montgomery) form;
// - an affine G1 point is x ‖ y (16 words), the point at infinity x = y = 0 (not on the curve);
// - an affine G2 point is x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1 (32 words);
// - a Jacobian point is X ‖ Y ‖ Z with x = X/Z², y = Y/Z³ (arkworks' `Projective`), infinity Z = 0.
//
// Formulas (a = 0 curves): doubling dbl-2009-l, mixed addition madd-2007-bl, addition
// add-2007-bl, from the Explicit-Formulas Database (https://hyperelliptic.org/EFD/g1p/auto-shortw-jacobian-0.html).
// Montgomery multiplication: CIOS, Ç. K. Koç, T. Acar, B. S. Kaliski, "Analyzing and Comparing
// Montgomery Multiplication Algorithms", IEEE Micro 1996.

#ifdef __CUDACC_RTC__
typedef unsigned int u32;
typedef unsigned long long u64;
#define CLD_FN __device__ __forceinline__
#define CLD_POINT __device__ __noinline__
#define CLD_KERNEL extern "C" __global__
#define CLD_CONST __constant__ const
#define CLD_THREAD (blockIdx.x * blockDim.x + threadIdx.x)
#else
#include <stdint.h>
typedef uint32_t u32;
typedef uint64_t u64;
#define CLD_FN static inline
#define CLD_POINT static inline
#define CLD_KERNEL static
#define CLD_CONST static const
extern thread_local u32 cld_emu_thread;
#define CLD_THREAD cld_emu_thread
#endif

// ---------------------------------------------------------------------------------------------
// Field constants: modulus, −p⁻¹ mod 2³², and R mod p (one in Montgomery form).

CLD_CONST u32 FQ_MOD[8] = {0xd87cfd47u, 0x3c208c16u, 0x6871ca8du, 0x97816a91u, 0x8181585du, 0xb85045b6u, 0xe131a029u, 0x30644e72u};
CLD_CONST u32 FQ_ONE[8] = {0xc58f0d9du, 0xd35d438du, 0xf5c70b3du, 0x0a78eb28u, 0x7879462cu, 0x666ea36fu, 0x9a07df2fu, 0x0e0a77c1u};
#define FQ_INV 0xe4866389u
CLD_CONST u32 FR_MOD[8] = {0xf0000001u, 0x43e1f593u, 0x79b97091u, 0x2833e848u, 0x8181585du, 0xb85045b6u, 0xe131a029u, 0x30644e72u};
#define FR_INV 0xefffffffu

struct fq { u32 l[8]; };
struct fr { u32 l[8]; };
struct fq2 { fq c0, c1; };

// ---------------------------------------------------------------------------------------------
// Multi-precision arithmetic modulo m (m < 2²⁵⁴, so sums of two reduced values fit 256 bits).

CLD_FN bool mp_geq(const u32 *a, const u32 *m) {
	for (int i = 7; i >= 0; i--) {
		if (a[i] != m[i]) return a[i] > m[i];
	}
	return true;
}

CLD_FN void mp_sub_in_place(u32 *a, const u32 *b) {
	u64 borrow = 0;
	for (int i = 0; i < 8; i++) {
		u64 d = (u64)a[i] - b[i] - borrow;
		a[i] = (u32)d;
		borrow = (d >> 63) & 1;
	}
}

CLD_FN void mod_add(u32 *r, const u32 *a, const u32 *b, const u32 *m) {
	u64 carry = 0;
	for (int i = 0; i < 8; i++) {
		u64 s = (u64)a[i] + b[i] + carry;
		r[i] = (u32)s;
		carry = s >> 32;
	}
	if (mp_geq(r, m)) mp_sub_in_place(r, m);
}

CLD_FN void mod_sub(u32 *r, const u32 *a, const u32 *b, const u32 *m) {
	u64 borrow = 0;
	for (int i = 0; i < 8; i++) {
		u64 d = (u64)a[i] - b[i] - borrow;
		r[i] = (u32)d;
		borrow = (d >> 63) & 1;
	}
	if (borrow) {
		u64 carry = 0;
		for (int i = 0; i < 8; i++) {
			u64 s = (u64)r[i] + m[i] + carry;
			r[i] = (u32)s;
			carry = s >> 32;
		}
	}
}

// CIOS Montgomery product a·b·R⁻¹ mod m, for a, b < m.
CLD_FN void mont_mul(u32 *r, const u32 *a, const u32 *b, const u32 *m, u32 inv) {
	u32 t[10] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	for (int i = 0; i < 8; i++) {
		u64 carry = 0;
		for (int j = 0; j < 8; j++) {
			u64 s = (u64)t[j] + (u64)a[j] * b[i] + carry;
			t[j] = (u32)s;
			carry = s >> 32;
		}
		u64 s = (u64)t[8] + carry;
		t[8] = (u32)s;
		t[9] = (u32)(s >> 32);
		u32 q = t[0] * inv;
		s = (u64)t[0] + (u64)q * m[0];
		carry = s >> 32;
		for (int j = 1; j < 8; j++) {
			s = (u64)t[j] + (u64)q * m[j] + carry;
			t[j - 1] = (u32)s;
			carry = s >> 32;
		}
		s = (u64)t[8] + carry;
		t[7] = (u32)s;
		t[8] = t[9] + (u32)(s >> 32);
	}
	for (int i = 0; i < 8; i++) r[i] = t[i];
	if (t[8] != 0 || mp_geq(r, m)) mp_sub_in_place(r, m);
}

// ---------------------------------------------------------------------------------------------
// Fq, Fr and Fq2 = Fq[u]/(u² + 1), overloaded so that the curve code is one template.

CLD_FN fq add(const fq &a, const fq &b) { fq r; mod_add(r.l, a.l, b.l, FQ_MOD); return r; }
CLD_FN fq sub(const fq &a, const fq &b) { fq r; mod_sub(r.l, a.l, b.l, FQ_MOD); return r; }
CLD_FN fq mul(const fq &a, const fq &b) { fq r; mont_mul(r.l, a.l, b.l, FQ_MOD, FQ_INV); return r; }
CLD_FN fq sqr(const fq &a) { return mul(a, a); }
CLD_FN fq dbl(const fq &a) { return add(a, a); }
CLD_FN bool is_zero(const fq &a) {
	u32 x = 0;
	for (int i = 0; i < 8; i++) x |= a.l[i];
	return x == 0;
}
CLD_FN bool equal(const fq &a, const fq &b) {
	u32 x = 0;
	for (int i = 0; i < 8; i++) x |= a.l[i] ^ b.l[i];
	return x == 0;
}
CLD_FN void set_zero(fq &a) { for (int i = 0; i < 8; i++) a.l[i] = 0; }
CLD_FN void set_one(fq &a) { for (int i = 0; i < 8; i++) a.l[i] = FQ_ONE[i]; }

CLD_FN fr add(const fr &a, const fr &b) { fr r; mod_add(r.l, a.l, b.l, FR_MOD); return r; }
CLD_FN fr sub(const fr &a, const fr &b) { fr r; mod_sub(r.l, a.l, b.l, FR_MOD); return r; }
CLD_FN fr mul(const fr &a, const fr &b) { fr r; mont_mul(r.l, a.l, b.l, FR_MOD, FR_INV); return r; }

CLD_FN fq2 add(const fq2 &a, const fq2 &b) { fq2 r; r.c0 = add(a.c0, b.c0); r.c1 = add(a.c1, b.c1); return r; }
CLD_FN fq2 sub(const fq2 &a, const fq2 &b) { fq2 r; r.c0 = sub(a.c0, b.c0); r.c1 = sub(a.c1, b.c1); return r; }
CLD_FN fq2 dbl(const fq2 &a) { return add(a, a); }
CLD_POINT fq2 mul(const fq2 &a, const fq2 &b) {
	fq v0 = mul(a.c0, b.c0), v1 = mul(a.c1, b.c1);
	fq2 r;
	r.c0 = sub(v0, v1);
	r.c1 = sub(sub(mul(add(a.c0, a.c1), add(b.c0, b.c1)), v0), v1);
	return r;
}
CLD_POINT fq2 sqr(const fq2 &a) {
	// (a0 + a1·u)² = (a0 + a1)(a0 − a1) + 2·a0·a1·u
	fq2 r;
	r.c0 = mul(add(a.c0, a.c1), sub(a.c0, a.c1));
	r.c1 = dbl(mul(a.c0, a.c1));
	return r;
}
CLD_FN bool is_zero(const fq2 &a) { return is_zero(a.c0) && is_zero(a.c1); }
CLD_FN bool equal(const fq2 &a, const fq2 &b) { return equal(a.c0, b.c0) && equal(a.c1, b.c1); }
CLD_FN void set_zero(fq2 &a) { set_zero(a.c0); set_zero(a.c1); }
CLD_FN void set_one(fq2 &a) { set_one(a.c0); set_zero(a.c1); }

// ---------------------------------------------------------------------------------------------
// Points.

template <class F> struct affine { F x, y; };
template <class F> struct jacobian { F x, y, z; };

template <class F> CLD_FN void set_infinity(jacobian<F> &p) { set_one(p.x); set_one(p.y); set_zero(p.z); }
template <class F> CLD_FN bool is_infinity(const jacobian<F> &p) { return is_zero(p.z); }
template <class F> CLD_FN bool is_infinity(const affine<F> &p) { return is_zero(p.x) && is_zero(p.y); }

// dbl-2009-l
template <class F> CLD_POINT jacobian<F> point_double(const jacobian<F> &p) {
	if (is_infinity(p)) return p;
	F a = sqr(p.x), b = sqr(p.y), c = sqr(b);
	F d = dbl(sub(sub(sqr(add(p.x, b)), a), c));
	F e = add(dbl(a), a), f = sqr(e);
	jacobian<F> r;
	r.x = sub(f, dbl(d));
	F c8 = dbl(dbl(dbl(c)));
	r.y = sub(mul(e, sub(d, r.x)), c8);
	r.z = dbl(mul(p.y, p.z));
	return r;
}

// madd-2007-bl: p + q with q affine.
template <class F> CLD_POINT jacobian<F> point_add_mixed(const jacobian<F> &p, const affine<F> &q) {
	if (is_infinity(q)) return p;
	if (is_infinity(p)) {
		jacobian<F> r;
		r.x = q.x;
		r.y = q.y;
		set_one(r.z);
		return r;
	}
	F z1z1 = sqr(p.z);
	F u2 = mul(q.x, z1z1);
	F s2 = mul(mul(q.y, p.z), z1z1);
	F h = sub(u2, p.x);
	F rr = dbl(sub(s2, p.y));
	if (is_zero(h)) {
		if (is_zero(rr)) return point_double(p);
		jacobian<F> r;
		set_infinity(r);
		return r;
	}
	F hh = sqr(h);
	F i = dbl(dbl(hh));
	F j = mul(h, i);
	F v = mul(p.x, i);
	jacobian<F> r;
	r.x = sub(sub(sqr(rr), j), dbl(v));
	r.y = sub(mul(rr, sub(v, r.x)), dbl(mul(p.y, j)));
	r.z = sub(sub(sqr(add(p.z, h)), z1z1), hh);
	return r;
}

// add-2007-bl
template <class F> CLD_POINT jacobian<F> point_add(const jacobian<F> &p, const jacobian<F> &q) {
	if (is_infinity(p)) return q;
	if (is_infinity(q)) return p;
	F z1z1 = sqr(p.z), z2z2 = sqr(q.z);
	F u1 = mul(p.x, z2z2), u2 = mul(q.x, z1z1);
	F s1 = mul(mul(p.y, q.z), z2z2), s2 = mul(mul(q.y, p.z), z1z1);
	F h = sub(u2, u1);
	F rr = dbl(sub(s2, s1));
	if (is_zero(h)) {
		if (is_zero(rr)) return point_double(p);
		jacobian<F> r;
		set_infinity(r);
		return r;
	}
	F i = sqr(dbl(h));
	F j = mul(h, i);
	F v = mul(u1, i);
	jacobian<F> r;
	r.x = sub(sub(sqr(rr), j), dbl(v));
	r.y = sub(mul(rr, sub(v, r.x)), dbl(mul(s1, j)));
	r.z = mul(sub(sub(sqr(add(p.z, q.z)), z1z1), z2z2), h);
	return r;
}

// ---------------------------------------------------------------------------------------------
// MSM: Pippenger's bucket method (N. Pippenger, "On the evaluation of powers and monomials",
// SIAM J. Comput. 1980), parallel over (chunk of points, window). Thread t = chunk·windows +
// window adds the chunk's points into its own 2^c − 1 buckets by the window's digit, then sums
// the buckets weighted by their digit (running sums) into partials[t]. A second kernel adds each
// window's chunk partials; the host combines the windows (Horner with c doublings).

CLD_FN u32 scalar_digit(const u32 *s, u32 window, u32 c) {
	u32 bit = window * c, limb = bit / 32, shift = bit % 32;
	if (limb >= 8) return 0;
	u64 v = s[limb];
	if (limb + 1 < 8) v |= (u64)s[limb + 1] << 32;
	return (u32)(v >> shift) & ((1u << c) - 1);
}

template <class F>
CLD_FN void msm_partial(const affine<F> *bases, const u32 *scalars, u32 n, u32 c, u32 windows, u32 chunk,
	jacobian<F> *buckets, jacobian<F> *partials, u32 threads) {
	u32 t = CLD_THREAD;
	if (t >= threads) return;
	u32 window = t % windows, part = t / windows;
	u32 count = (1u << c) - 1;
	jacobian<F> *mine = buckets + (u64)t * count;
	for (u32 b = 0; b < count; b++) set_infinity(mine[b]);
	u32 start = part * chunk, end = start + chunk;
	if (end > n) end = n;
	for (u32 i = start; i < end; i++) {
		u32 digit = scalar_digit(scalars + 8 * (u64)i, window, c);
		if (digit != 0) mine[digit - 1] = point_add_mixed(mine[digit - 1], bases[i]);
	}
	jacobian<F> running, sum;
	set_infinity(running);
	set_infinity(sum);
	for (u32 b = count; b > 0; b--) {
		running = point_add(running, mine[b - 1]);
		sum = point_add(sum, running);
	}
	partials[t] = sum;
}

template <class F> CLD_FN void msm_reduce(const jacobian<F> *partials, u32 parts, u32 windows, jacobian<F> *out) {
	u32 w = CLD_THREAD;
	if (w >= windows) return;
	jacobian<F> sum;
	set_infinity(sum);
	for (u32 p = 0; p < parts; p++) sum = point_add(sum, partials[(u64)p * windows + w]);
	out[w] = sum;
}

CLD_KERNEL void msm_g1_partial(const u32 *bases, const u32 *scalars, u32 n, u32 c, u32 windows, u32 chunk,
	u32 *buckets, u32 *partials, u32 threads) {
	msm_partial<fq>((const affine<fq> *)bases, scalars, n, c, windows, chunk, (jacobian<fq> *)buckets,
		(jacobian<fq> *)partials, threads);
}

CLD_KERNEL void msm_g1_reduce(const u32 *partials, u32 parts, u32 windows, u32 *out) {
	msm_reduce<fq>((const jacobian<fq> *)partials, parts, windows, (jacobian<fq> *)out);
}

CLD_KERNEL void msm_g2_partial(const u32 *bases, const u32 *scalars, u32 n, u32 c, u32 windows, u32 chunk,
	u32 *buckets, u32 *partials, u32 threads) {
	msm_partial<fq2>((const affine<fq2> *)bases, scalars, n, c, windows, chunk, (jacobian<fq2> *)buckets,
		(jacobian<fq2> *)partials, threads);
}

CLD_KERNEL void msm_g2_reduce(const u32 *partials, u32 parts, u32 windows, u32 *out) {
	msm_reduce<fq2>((const jacobian<fq2> *)partials, parts, windows, (jacobian<fq2> *)out);
}

// Montgomery form → canonical (multiply by 1, i.e. by R⁻¹), for MSM scalars.
CLD_KERNEL void fr_from_montgomery(u32 *values, u32 n) {
	u32 i = CLD_THREAD;
	if (i >= n) return;
	fr one;
	one.l[0] = 1;
	for (int k = 1; k < 8; k++) one.l[k] = 0;
	fr *v = (fr *)values + i;
	*v = mul(*v, one);
}

// ---------------------------------------------------------------------------------------------
// NTT over Fr: iterative radix-2 Cooley–Tukey. `fr_bit_reverse` permutes into `out`; then one
// `ntt_stage` launch per level (half = 1, 2, 4, …, n/2), one thread per butterfly, with the
// twiddles ω^k (k < n/2) of the level's root ω (or ω⁻¹ for the inverse).

CLD_KERNEL void fr_bit_reverse(const u32 *in, u32 *out, u32 n, u32 log_n) {
	u32 i = CLD_THREAD;
	if (i >= n) return;
	u32 r = 0;
	for (u32 b = 0; b < log_n; b++) r |= ((i >> b) & 1u) << (log_n - 1 - b);
	((fr *)out)[r] = ((const fr *)in)[i];
}

CLD_KERNEL void ntt_stage(u32 *values, const u32 *twiddles, u32 n, u32 half) {
	u32 t = CLD_THREAD;
	if (t >= n / 2) return;
	u32 group = t / half, j = t % half;
	u32 i0 = group * 2 * half + j, i1 = i0 + half;
	u32 step = n / (2 * half);
	fr *a = (fr *)values;
	fr w = ((const fr *)twiddles)[(u64)j * step];
	fr v = mul(a[i1], w);
	fr u = a[i0];
	a[i0] = add(u, v);
	a[i1] = sub(u, v);
}

// values[i] *= low[i mod 1024] · high[i / 1024]: a coset shift gⁱ, an inverse NTT's 1/n, or
// both, from two small tables (1024 + n/1024 elements) instead of n powers.
CLD_KERNEL void fr_scale_powers(u32 *values, const u32 *low, const u32 *high, u32 n) {
	u32 i = CLD_THREAD;
	if (i >= n) return;
	fr *v = (fr *)values + i;
	fr factor = mul(((const fr *)low)[i & 1023u], ((const fr *)high)[i >> 10]);
	*v = mul(*v, factor);
}

// out[i] = a[i]·b[i]
CLD_KERNEL void fr_mul_elements(const u32 *a, const u32 *b, u32 *out, u32 n) {
	u32 i = CLD_THREAD;
	if (i >= n) return;
	((fr *)out)[i] = mul(((const fr *)a)[i], ((const fr *)b)[i]);
}

// a[i] = (a[i]·b[i] − c[i])·scale: the quotient's numerator on the coset, over Z's value there.
CLD_KERNEL void fr_quotient(u32 *a, const u32 *b, const u32 *c, const u32 *scale, u32 n) {
	u32 i = CLD_THREAD;
	if (i >= n) return;
	fr *x = (fr *)a + i;
	*x = mul(sub(mul(*x, ((const fr *)b)[i]), ((const fr *)c)[i]), *(const fr *)scale);
}
