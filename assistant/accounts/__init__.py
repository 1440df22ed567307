"""Staff accounts: organisations, users and roles, password hashing and sessions; administration.py
is the service the administrators' pages and ``flask users create`` call, api_clients.py the intake
API's clients and their tokens."""
