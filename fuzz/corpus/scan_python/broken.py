def half_written(:
    pass

result = eval(input("expr? "))
