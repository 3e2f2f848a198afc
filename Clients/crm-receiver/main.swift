print("crm-receiver")
