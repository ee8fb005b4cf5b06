//! Bit tricks of the 64-byte block looks at JSON ([`super::json_stream`]) and CSV
//! ([`super::row_end`]): the prefix XOR that tells which bytes lie inside quotes, and the CPU
//! features of their fast compilations.

/// Bit `i` = XOR of bits `0..=i`: which bytes follow an odd number of quotes.
#[inline(always)]
pub(super) fn prefix_xor(mut x: u64) -> u64 {
    for shift in [1, 2, 4, 8, 16, 32] {
        x ^= x << shift;
    }
    x
}

/// [`prefix_xor`] as one carry-less multiplication: multiplying by all ones without carries
/// XORs every bit into each higher one.
///
/// # Safety
/// The CPU must have PCLMULQDQ.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "pclmulqdq")]
#[inline]
pub(super) unsafe fn prefix_xor_clmul(x: u64) -> u64 {
    use std::arch::x86_64::{_mm_clmulepi64_si128, _mm_cvtsi128_si64, _mm_set_epi64x};
    let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, x as i64), _mm_set_epi64x(0, -1), 0);
    _mm_cvtsi128_si64(product) as u64
}

/// Whether the CPU has what the fast compilations of the block looks are built for: AVX2 for
/// the compares, POPCNT for counting bits (x86_64's baseline counts them in software),
/// PCLMULQDQ for [`prefix_xor_clmul`]. Most x86_64 CPUs of the last decade have all three (not
/// all: some Atom-class and Pentium parts lack AVX2), and the others take SSE2.
#[cfg(target_arch = "x86_64")]
pub(super) fn has_fast_block_look() -> bool {
    use std::arch::is_x86_feature_detected as has;
    has!("avx2") && has!("popcnt") && has!("pclmulqdq")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_multiplication_is_the_prefix_xor() {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("pclmulqdq") {
            let mut rng = crate::synth::Rng::new(3);
            let mut cases = vec![0, 1, 1 << 63, !0, 0x5555_5555_5555_5555];
            cases.extend((0..1000).map(|_| rng.next_u64()));
            for x in cases {
                // SAFETY: the CPU was just found to have PCLMULQDQ.
                assert_eq!(unsafe { prefix_xor_clmul(x) }, prefix_xor(x), "{x:#x}");
            }
        }
        assert_eq!(
            prefix_xor(0b1001),
            0b0111,
            "inside from one quote to the next"
        );
    }
}
