print("shipshape: under construction")
