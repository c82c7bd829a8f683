"""Care's business operations (plain functions): counselling appointments, notes, and check-ins."""
