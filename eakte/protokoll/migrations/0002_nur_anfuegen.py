from django.db import migrations

# The Protokoll is append-only in the database itself, not only in the code: an UPDATE or DELETE
# of an entry fails for every database user that is not allowed to drop the trigger.
SQL = """
CREATE FUNCTION protokoll_nur_anfuegen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Das Protokoll kann nicht geändert oder gelöscht werden.';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER protokoll_nur_anfuegen
    BEFORE UPDATE OR DELETE ON protokoll_protokolleintrag
    FOR EACH ROW EXECUTE FUNCTION protokoll_nur_anfuegen();
"""

RUECKWAERTS = """
DROP TRIGGER IF EXISTS protokoll_nur_anfuegen ON protokoll_protokolleintrag;
DROP FUNCTION IF EXISTS protokoll_nur_anfuegen();
"""


class Migration(migrations.Migration):
    dependencies = [("protokoll", "0001_initial")]

    operations = [migrations.RunSQL(SQL, RUECKWAERTS)]
