# _replace and _make with wrong fields (caught); reading a field the namedtuple does not
# have: AttributeError, uncaught.
from collections import namedtuple

Employee = namedtuple('Employee', 'name dept salary')
staff = [Employee('ann', 'eng', 100), Employee('bob', 'ops', 90)]
raised = [e._replace(salary=e.salary + 10) for e in staff]
print(raised)
print(Employee._make(['cy', 'eng', 80])._asdict())
try:
    Employee._make(['dee', 'ops'])
except TypeError as e:
    print('TypeError:', e)
try:
    staff[0]._replace(title='boss')
except ValueError as e:
    print('ValueError:', e)
print(staff[1].title)
