-- pgbench script: one index lookup of a person by СНИЛС, the raw rate the API is compared with.
-- The СНИЛС is picked by primary key from bench_snils (the same sample the HTTP load uses), so each
-- transaction is one round trip with two index probes: the 10 000-row sample and registry_person.snils.
\set n random(1, 10000)
SELECT p.id, p.oid, p.snils, p.last_name, p.first_name, p.patronymic, p.gender, p.birth_date
FROM registry_person p
WHERE p.snils = (SELECT s.snils FROM bench_snils s WHERE s.n = :n);
