def run():
    pass


def fuzz():
    pass
