
BrealJ¥ªË>k¿?