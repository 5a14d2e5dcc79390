<?php
/**
 * Creates a fresh Horde_ActiveSync state database: runs the library's own schema migrations
 * on the sqlite file named by the first argument.
 *   php migrate.php /tmp/state.sqlite
 */
error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE & ~E_WARNING);
require_once 'Horde/Autoloader/Default.php';

if ($argc < 2) {
    fwrite(STDERR, "usage: php migrate.php DATABASE_FILE\n");
    exit(2);
}
$db = new Horde_Db_Adapter_Pdo_Sqlite(array('dbname' => $argv[1]));
$migrator = new Horde_Db_Migration_Migrator($db, null, array(
    'migrationsPath' => '/usr/share/php/data/Horde_ActiveSync/migration',
    'schemaTableName' => 'horde_activesync_schema_info',
));
$migrator->up();
echo 'schema version ', $migrator->getCurrentVersion(), "\n";
