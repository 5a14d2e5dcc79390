<?php
/** Horde_ActiveSync needs a logger factory; the tests read the HTTP exchange, not the log. */
class OwaInspector_Test_NullLoggerFactory implements Horde_ActiveSync_Interface_LoggerFactory
{
    public function create($properties = array())
    {
        return new Horde_ActiveSync_Log_Logger(new Horde_Log_Handler_Null());
    }
}
