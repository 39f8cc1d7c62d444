print("placeholder: replaced by the issue's implementation")
