package amd64

func genVariants(avx2, avx512 bool) []genVariant {
	return []genVariant{
		{"avx512/6x64", 6, 64, Sgemm6x64GenAVX512, Sgemm6x64GenGo, avx512},
	}
}
