<?php
/**
 * Front script for `php -S`: wires Horde_ActiveSync the way Horde's own rpc.php does, with the
 * test driver and a sqlite state. Everything test-specific comes from the JSON file named by
 * OWA_HORDE_CONFIG: { db, user, password, policy, maxVersion, remoteWipe }.
 */
// A notice printed into the response would corrupt the WBXML.
ini_set('display_errors', '0');
error_reporting(E_ALL & ~E_DEPRECATED & ~E_NOTICE & ~E_WARNING);
require_once 'Horde/Autoloader/Default.php';
require_once __DIR__ . '/Driver.php';
require_once __DIR__ . '/NullLoggerFactory.php';

$config = json_decode(file_get_contents(getenv('OWA_HORDE_CONFIG')), true);
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/Microsoft-Server-ActiveSync') {
    http_response_code(404);
    exit;
}

$db = new Horde_Db_Adapter_Pdo_Sqlite(array('dbname' => $config['db']));
$state = new Horde_ActiveSync_State_Sql(array('db' => $db));
$driver = new OwaInspector_Test_Driver(array(
    'state' => $state,
    'connector' => new Horde_ActiveSync_Driver_MockConnector(),
    'imap' => null,
    'ping' => array('heartbeatmin' => 60, 'heartbeatmax' => 2700, 'heartbeatdefault' => 480,
                    'deviceping' => true, 'waitinterval' => 10),
    'config' => $config,
));
$input = fopen('php://input', 'r');
$output = fopen('php://output', 'w+');
$server = new Horde_ActiveSync(
    $driver,
    new Horde_ActiveSync_Wbxml_Decoder($input),
    new Horde_ActiveSync_Wbxml_Encoder($output),
    $state,
    new Horde_Controller_Request_Http()
);
$server->setSupportedVersion($config['maxVersion']);
$server->setLogger(new OwaInspector_Test_NullLoggerFactory());

ob_start();
try {
    $method = $_SERVER['REQUEST_METHOD'];
    if ($method === 'OPTIONS' || $method === 'GET') {
        $server->handleRequest('Options', null);
    } else {
        $server->handleRequest(null, null);
    }
} catch (Horde_Exception_AuthenticationFailure $e) {
    ob_clean();
    http_response_code(401);
    header('WWW-Authenticate: Basic realm="ActiveSync"');
} catch (Exception $e) {
    ob_clean();
    http_response_code(500);
    header('Content-Type: text/plain');
    echo get_class($e), ': ', $e->getMessage();
}
$body = ob_get_clean();
header('Content-Length: ' . strlen($body));
echo $body;

