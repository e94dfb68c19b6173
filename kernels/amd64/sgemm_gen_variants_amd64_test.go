package amd64

func genVariants(avx2, avx512 bool) []genVariant {
	return []genVariant{
		{"avx512/6x64", 6, 64, Sgemm6x64GenAVX512, Sgemm6x64GenGo, avx512},
		{"avx2/6x16", 6, 16, Sgemm6x16GenAVX2, Sgemm6x16GenGo, avx2},
		{"avx512/4x64", 4, 64, Sgemm4x64GenAVX512, Sgemm4x64GenGo, avx512},
		{"avx512/2x64", 2, 64, Sgemm2x64GenAVX512, Sgemm2x64GenGo, avx512},
		{"avx2/4x16", 4, 16, Sgemm4x16GenAVX2, Sgemm4x16GenGo, avx2},
		{"avx2/2x16", 2, 16, Sgemm2x16GenAVX2, Sgemm2x16GenGo, avx2},
		{"avx512/6x64w16", 6, 16, Sgemm6x64W16GenAVX512, Sgemm6x64W16GenGo, avx512},
		{"avx512/6x64w32", 6, 32, Sgemm6x64W32GenAVX512, Sgemm6x64W32GenGo, avx512},
		{"avx512/6x64w48", 6, 48, Sgemm6x64W48GenAVX512, Sgemm6x64W48GenGo, avx512},
		{"avx2/6x16w8", 6, 8, Sgemm6x16W8GenAVX2, Sgemm6x16W8GenGo, avx2},
	}
}
