import ldap
from django_auth_ldap.config import LDAPSearch

AUTH_LDAP_SERVER_URI = "ldaps://ldap.example.org"
AUTH_LDAP_USER_SEARCH = LDAPSearch("ou=people,dc=example,dc=org", ldap.SCOPE_SUBTREE, "(uid=%(user)s)")
# suite: positive
AUTH_LDAP_GLOBAL_OPTIONS = {ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_ALLOW}
# suite: safe
AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_HARD}
