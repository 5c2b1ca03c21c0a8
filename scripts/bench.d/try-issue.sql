-- A token request that may fail (public.try_issue catches the error): right, wrong, unknown.
SELECT public.try_issue(:id, :secret);
