<?php
/**
 * The test driver: Horde's own mock backend, with the three things the Provision tests need
 * configurable: a real password check, forced provisioning and the policy to hand out.
 * Optionally it marks devices for remote wipe, so a client can be shown a real wipe directive.
 */
class OwaInspector_Test_Driver extends Horde_ActiveSync_Driver_Mock
{
    /** @var array  The decoded test configuration (see front.php). */
    protected $_config;

    public function __construct(array $params)
    {
        $this->_config = $params['config'];
        parent::__construct($params);
    }

    public function authenticate($username, $password, $domain = null)
    {
        if ($username !== $this->_config['user'] || $password !== $this->_config['password']) {
            return false;
        }
        return parent::authenticate($username, $password, $domain);
    }

    public function getProvisioning()
    {
        return Horde_ActiveSync::PROVISIONING_FORCE;
    }

    public function getCurrentPolicy()
    {
        return $this->_config['policy'];
    }

    public function getUsernameFromEmail($email)
    {
        return $email;
    }

    /** Marks a configured device for remote wipe until a wipe directive has been sent once. */
    public function modifyDeviceCallback($device)
    {
        $wipe = array_map('strtoupper', $this->_config['remoteWipe']);
        if (in_array($device->id, $wipe, true) && $device->rwstatus != Horde_ActiveSync::RWSTATUS_WIPED) {
            $device->rwstatus = Horde_ActiveSync::RWSTATUS_PENDING;
        }
        return $device;
    }
}
