package amd64

func genVariants(avx2, avx512 bool) []genVariant {
	return []genVariant{
		{"avx512/6x64", 6, 64, Sgemm6x64GenAVX512, Sgemm6x64GenGo, avx512},
		{"avx2/6x16", 6, 16, Sgemm6x16GenAVX2, Sgemm6x16GenGo, avx2},
	}
}
