# A file cut off inside a bracket (the lexer repeats its error at the end of the text).

# error: [syntax-error]
def f(