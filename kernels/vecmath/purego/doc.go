package purego
