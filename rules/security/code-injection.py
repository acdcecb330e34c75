import ast


def parse_filter(text):
    return "lambda row: " + text


def calculate(request):
    expr = request.GET["expr"]
    # ruleid: DJR306
    result = eval(expr)
    # ruleid: DJR306
    predicate = eval(parse_filter(request.POST["filter"]))
    # ok: DJR306
    literal = ast.literal_eval(expr)
    # ok: DJR306
    total = eval("1 + 2")
    # ok: DJR306
    code = compile(int(expr), "<expr>", "eval")
    return result, predicate, literal, total, code
