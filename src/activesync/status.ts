// What the numbers mean: HTTP statuses (MS-ASHTTP 2.2.2.1.1), Provision and Policy Status
// (MS-ASPROV 2.2.2.54) and the status codes common to all commands (MS-ASCMD 2.2.2).

export interface StatusMeaning {
  name: string;
  meaning: string;
}

/** HTTP statuses an ActiveSync server answers with, and what each asks of the client. */
export const HTTP_STATUS: Readonly<Record<number, StatusMeaning>> = {
  200: { name: 'OK', meaning: 'The command succeeded (its body may still carry a failure Status).' },
  400: { name: 'Bad Request', meaning: 'The server could not understand the request; repeating it unchanged gives the same error.' },
  401: { name: 'Unauthorized', meaning: 'The user name or password was refused, or credentials are required.' },
  403: { name: 'Forbidden', meaning: 'The user is not enabled for ActiveSync.' },
  404: { name: 'Not Found', meaning: 'No ActiveSync service at this URL.' },
  449: { name: 'Retry after sending a PROVISION command', meaning: 'The server requires the device to provision (fetch and acknowledge the policy) before any other command.' },
  451: { name: 'Redirect', meaning: 'This server cannot reach the mailbox, or a better one can; X-MS-Location names the URL to use instead.' },
  456: { name: 'Blocked', meaning: "The user's account is blocked." },
  457: { name: 'Expired Password', meaning: "The user's password has expired; X-MS-Credential-Service-Url says where to change it." },
  500: { name: 'Internal Server Error', meaning: 'The server failed while handling the request.' },
  501: { name: 'Not Implemented', meaning: 'The server does not support this command or method.' },
  502: { name: 'Proxy Error', meaning: 'A proxy could not reach the ActiveSync server.' },
  503: { name: 'Service Unavailable', meaning: 'The server is busy or down; Retry-After, when present, says how many seconds to wait.' },
  507: { name: 'Insufficient Disk Space', meaning: "The user's mailbox is full." },
};

/** Status of the Provision element: the outcome of the whole Provision command. */
export const PROVISION_STATUS: Readonly<Record<number, StatusMeaning>> = {
  1: { name: 'Success', meaning: 'The Provision command succeeded.' },
  2: { name: 'Protocol error', meaning: 'The server could not parse the Provision request.' },
  3: { name: 'General server error', meaning: 'The server failed while handling the Provision request.' },
};

/** Status of a Policy element in a server response. */
export const POLICY_STATUS: Readonly<Record<number, StatusMeaning>> = {
  1: { name: 'Success', meaning: 'The policy was sent, or the acknowledgement was accepted.' },
  2: { name: 'No policy', meaning: 'There is no policy for this client.' },
  3: { name: 'Unknown PolicyType', meaning: 'The server does not know the PolicyType the client asked for (wrong one for this protocol version?).' },
  4: { name: 'Policy data corrupt', meaning: 'The policy data on the server is corrupted (possibly tampered with), or the client did not accept it.' },
  5: { name: 'Wrong policy key', meaning: 'The client acknowledged a policy key other than the one the server handed out.' },
};

/** Status a client sends in its acknowledgement: how far it applied the policy. */
export const POLICY_ACK_STATUS: Readonly<Record<number, StatusMeaning>> = {
  1: { name: 'Success', meaning: 'The client applied the policy.' },
  2: { name: 'Partial success', meaning: 'The client applied part of the policy (at least the PIN).' },
  3: { name: 'Not applied', meaning: 'The client did not apply the policy at all.' },
  4: { name: 'Third party', meaning: 'The client says a third party manages its policy.' },
};

/** Status a client sends to confirm a remote wipe (the tool never sends it on its own). */
export const REMOTE_WIPE_ACK_STATUS: Readonly<Record<number, StatusMeaning>> = {
  1: { name: 'Success', meaning: 'The client wiped, or is about to wipe.' },
  2: { name: 'Failure', meaning: 'The client could not wipe.' },
};

/** MS-ASCMD 2.2.2: status values common to every command. */
export const COMMON_STATUS: Readonly<Record<number, StatusMeaning>> = {
  101: { name: 'InvalidContent', meaning: 'The request body could not be parsed as what the command expects.' },
  102: { name: 'InvalidWBXML', meaning: 'The request body is not valid WBXML.' },
  103: { name: 'InvalidXML', meaning: 'The request XML is not valid for the command.' },
  104: { name: 'InvalidDateTime', meaning: 'A date or time in the request is invalid.' },
  105: { name: 'InvalidCombinationOfIDs', meaning: 'The request combines ids that cannot go together.' },
  106: { name: 'InvalidIDs', meaning: 'An id in the request is invalid.' },
  107: { name: 'InvalidMIME', meaning: 'The MIME content of the request is invalid.' },
  108: { name: 'DeviceIdMissingOrInvalid', meaning: 'The DeviceId is missing or invalid.' },
  109: { name: 'DeviceTypeMissingOrInvalid', meaning: 'The DeviceType is missing or invalid.' },
  110: { name: 'ServerError', meaning: 'The server failed; retrying will not help.' },
  111: { name: 'ServerErrorRetryLater', meaning: 'The server failed for now; retry later.' },
  112: { name: 'ActiveDirectoryAccessDenied', meaning: 'The server could not read the directory for this user.' },
  113: { name: 'MailboxQuotaExceeded', meaning: 'The mailbox is over its quota.' },
  114: { name: 'MailboxServerOffline', meaning: 'The mailbox server is offline.' },
  115: { name: 'SendQuotaExceeded', meaning: 'The user may not send more mail for now.' },
  116: { name: 'MessageRecipientUnresolved', meaning: 'A recipient could not be resolved.' },
  117: { name: 'MessageReplyNotAllowed', meaning: 'Replying to this message is not allowed.' },
  118: { name: 'MessagePreviouslySent', meaning: 'This message was already sent (same ClientId).' },
  119: { name: 'MessageHasNoRecipient', meaning: 'The message has no recipient.' },
  120: { name: 'MailSubmissionFailed', meaning: 'The server could not submit the message.' },
  121: { name: 'MessageReplyFailed', meaning: 'The server could not create the reply.' },
  122: { name: 'AttachmentIsTooLarge', meaning: 'An attachment is larger than the server allows.' },
  123: { name: 'UserHasNoMailbox', meaning: 'The user has no mailbox.' },
  124: { name: 'UserCannotBeAnonymous', meaning: 'The request must be authenticated.' },
  125: { name: 'UserPrincipalCouldNotBeFound', meaning: 'The user could not be found in the directory.' },
  126: { name: 'UserDisabledForSync', meaning: 'The user is not allowed to use ActiveSync.' },
  127: { name: 'UserOnNewMailboxCannotSync', meaning: "The user's mailbox is on a newer server this one cannot sync." },
  128: { name: 'UserOnLegacyMailboxCannotSync', meaning: "The user's mailbox is on an older server this one cannot sync." },
  129: { name: 'DeviceIsBlockedForThisUser', meaning: 'This device is blocked for this user.' },
  130: { name: 'AccessDenied', meaning: 'The user may not do this.' },
  131: { name: 'AccountDisabled', meaning: "The user's account is disabled." },
  132: { name: 'SyncStateNotFound', meaning: 'The server lost its sync state for this device; start the sync again.' },
  133: { name: 'SyncStateLocked', meaning: 'The sync state is locked by another request; retry later.' },
  134: { name: 'SyncStateCorrupt', meaning: 'The sync state is corrupt; start the sync again.' },
  135: { name: 'SyncStateAlreadyExists', meaning: 'The sync state already exists.' },
  136: { name: 'SyncStateVersionInvalid', meaning: 'The sync state has a version the server cannot read.' },
  137: { name: 'CommandNotSupported', meaning: 'The server does not support this command.' },
  138: { name: 'VersionNotSupported', meaning: 'The server does not support this command at this protocol version.' },
  139: { name: 'DeviceNotFullyProvisionable', meaning: 'The device cannot apply all the policy settings the server requires at this protocol version (try a newer version).' },
  140: { name: 'RemoteWipeRequested', meaning: 'The server has asked this device to wipe itself (it will send the wipe directive in a Provision response).' },
  141: { name: 'LegacyDeviceOnStrictPolicy', meaning: 'The policy requires features this old protocol version cannot enforce.' },
  142: { name: 'DeviceNotProvisioned', meaning: 'The device has not provisioned yet: send Provision first.' },
  143: { name: 'PolicyRefresh', meaning: 'The policy has changed: provision again.' },
  144: { name: 'InvalidPolicyKey', meaning: 'The policy key sent is not the current one: provision again.' },
  145: { name: 'ExternallyManagedDevicesNotAllowed', meaning: 'Devices that say a third party manages their policy are not allowed.' },
  146: { name: 'NoRecurrenceInCalendar', meaning: 'The calendar item has no recurrence.' },
  147: { name: 'UnexpectedItemClass', meaning: 'The item class is not what the folder holds.' },
  148: { name: 'RemoteServerHasNoSSL', meaning: 'The remote server does not offer SSL.' },
  149: { name: 'InvalidStoredRequest', meaning: 'The stored request (for an empty Sync or Ping) is invalid; send the full request.' },
  150: { name: 'ItemNotFound', meaning: 'The item was not found.' },
  151: { name: 'TooManyFolders', meaning: 'The mailbox has too many folders.' },
  152: { name: 'NoFoldersFound', meaning: 'No folders were found.' },
  153: { name: 'ItemsLostAfterMove', meaning: 'Items were lost after a move.' },
  154: { name: 'FailureInMoveOperation', meaning: 'The move failed.' },
  155: { name: 'MoveCommandDisallowedForNonPersistentMoveAction', meaning: 'This move is not allowed.' },
  156: { name: 'MoveCommandInvalidDestinationFolder', meaning: 'The destination folder of the move is invalid.' },
  160: { name: 'AvailabilityTooManyRecipients', meaning: 'Too many recipients for an availability query.' },
  161: { name: 'AvailabilityDLLimitReached', meaning: 'The distribution list is too large for an availability query.' },
  162: { name: 'AvailabilityTransientFailure', meaning: 'The availability query failed for now; retry later.' },
  163: { name: 'AvailabilityFailure', meaning: 'The availability query failed.' },
  164: { name: 'BodyPartPreferenceTypeNotSupported', meaning: 'The body part preference type is not supported.' },
  165: { name: 'DeviceInformationRequired', meaning: 'The server requires Settings:DeviceInformation (send it with Provision or Settings).' },
  166: { name: 'InvalidAccountId', meaning: 'The account id is invalid.' },
  167: { name: 'AccountSendDisabled', meaning: 'Sending from this account is disabled.' },
  168: { name: 'IRM_FeatureDisabled', meaning: 'Information Rights Management is disabled.' },
  169: { name: 'IRM_TransientError', meaning: 'Information Rights Management failed for now; retry later.' },
  170: { name: 'IRM_PermanentError', meaning: 'Information Rights Management failed.' },
  171: { name: 'IRM_InvalidTemplateID', meaning: 'The rights management template id is invalid.' },
  172: { name: 'IRM_OperationNotPermitted', meaning: 'Rights management does not permit this operation.' },
  173: { name: 'NoPicture', meaning: 'The contact has no picture.' },
  174: { name: 'PictureTooLarge', meaning: 'The picture is too large.' },
  175: { name: 'PictureLimitReached', meaning: 'Too many pictures were requested.' },
  176: { name: 'BodyPart_ConversationTooLarge', meaning: 'The conversation is too large for a body part.' },
  177: { name: 'MaximumDevicesReached', meaning: 'The user has reached the maximum number of devices.' },
  178: { name: 'InvalidMimeBodyCombination', meaning: 'The MIME and body elements of the request do not go together.' },
  179: { name: 'InvalidSmartForwardParameters', meaning: 'The SmartForward parameters are invalid.' },
  183: { name: 'InvalidRecipients', meaning: 'One or more recipients are invalid.' },
  184: { name: 'OneOrMoreExceptionsFailed', meaning: 'One or more exceptions of a recurring item failed.' },
};

/** Common statuses after which the client must provision again (as with HTTP 449). */
export const REPROVISION_STATUSES: ReadonlySet<number> = new Set([142, 143, 144]);
export const REMOTE_WIPE_REQUESTED = 140;

export function isCommonStatus(code: number): boolean {
  return code >= 101 && code <= 189;
}

/** "142 DeviceNotProvisioned: …", falling back to the range when a code is not in the table. */
export function describeCommonStatus(code: number): string {
  const known = COMMON_STATUS[code];
  if (known) return `${code} ${known.name}: ${known.meaning}`;
  if (isCommonStatus(code)) return `${code}: a status common to all commands, not in this client's table`;
  return `${code}: not a common status; its meaning depends on the command`;
}

export function describeHttpStatus(code: number): string {
  const known = HTTP_STATUS[code];
  return known ? `HTTP ${code} ${known.name}: ${known.meaning}` : `HTTP ${code}`;
}

/** A Provision or Policy status, read as a common status when it is in the 101-189 range. */
export function describeProvisionStatus(code: number, table: Readonly<Record<number, StatusMeaning>>): string {
  if (isCommonStatus(code)) return describeCommonStatus(code);
  const known = table[code];
  return known ? `${code} ${known.name}: ${known.meaning}` : `${code}: unknown status`;
}

const FOLDER_CHANGE_STATUS: Readonly<Record<number, StatusMeaning>> = {
  1: { name: 'Success', meaning: 'The folder change was made.' },
  2: { name: 'FolderExists', meaning: 'A folder of that name already exists there.' },
  3: { name: 'SpecialFolder', meaning: 'The folder is a special (system) folder and cannot be changed this way.' },
  4: { name: 'FolderNotFound', meaning: 'The folder does not exist.' },
  5: { name: 'ParentNotFound', meaning: 'The parent folder was not found.' },
  6: { name: 'ServerError', meaning: 'An error occurred on the server.' },
  9: { name: 'InvalidSyncKey', meaning: 'The SyncKey does not match: run FolderSync again with SyncKey 0.' },
  10: { name: 'MalformedRequest', meaning: 'The request was incorrectly formatted.' },
  11: { name: 'UnknownError', meaning: 'An unknown error occurred.' },
  12: { name: 'CodeUnknown', meaning: 'An unusual back-end problem occurred.' },
};

/**
 * Each command's own Status values (MS-ASCMD), checked against Horde ActiveSync's constants
 * (Horde_ActiveSync_Request_*). Statuses 101-189 are the common ones above.
 */
export const COMMAND_STATUS: Readonly<Record<string, Readonly<Record<number, StatusMeaning>>>> = {
  Ping: {
    1: { name: 'HeartbeatExpired', meaning: 'The heartbeat interval expired without changes in the monitored folders.' },
    2: { name: 'ChangesFound', meaning: 'Changes occurred in at least one monitored folder: sync those folders.' },
    3: { name: 'ParametersMissing', meaning: 'The request omitted required parameters (no stored Ping to reuse): send the full request.' },
    4: { name: 'SyntaxError', meaning: 'The Ping request had a syntax error.' },
    5: { name: 'HeartbeatOutOfRange', meaning: "The heartbeat interval is outside the server's range; the response gives the nearest allowed value." },
    6: { name: 'TooManyFolders', meaning: 'More folders than the server monitors; the response gives the maximum.' },
    7: { name: 'FolderSyncRequired', meaning: 'The folder hierarchy changed: run FolderSync.' },
    8: { name: 'ServerError', meaning: 'An error occurred on the server; retry later.' },
  },
  Sync: {
    1: { name: 'Success', meaning: 'The collection was synchronized.' },
    2: { name: 'ProtocolVersionMismatch', meaning: 'The class or protocol version does not match.' },
    3: { name: 'InvalidSyncKey', meaning: 'The SyncKey is invalid or out of date: sync the folder again from SyncKey 0.' },
    4: { name: 'ProtocolError', meaning: 'The request is not valid for the protocol.' },
    5: { name: 'ServerError', meaning: 'An error occurred on the server; retry.' },
    6: { name: 'ConversionError', meaning: 'An item sent by the client could not be converted.' },
    7: { name: 'Conflict', meaning: 'The client and server versions of an item conflict.' },
    8: { name: 'ObjectNotFound', meaning: 'The item was not found on the server.' },
    9: { name: 'CannotComplete', meaning: 'The Sync cannot be completed (the mailbox may be full); retry later.' },
    12: { name: 'FolderHierarchyChanged', meaning: 'The folder hierarchy changed: run FolderSync.' },
    13: { name: 'IncompleteRequest', meaning: 'An empty or partial Sync with no cached request: send the full request.' },
    14: { name: 'InvalidWaitOrHeartbeat', meaning: "The Wait or HeartbeatInterval is outside the server's range; the response gives the limit." },
    15: { name: 'InvalidSyncRequest', meaning: 'Too many collections, or another error in the Sync request.' },
    16: { name: 'Retry', meaning: 'Something on the server failed for now; retry.' },
  },
  FolderSync: {
    1: { name: 'Success', meaning: 'The folder hierarchy was synchronized.' },
    6: { name: 'ServerError', meaning: 'An error occurred on the server.' },
    8: { name: 'Timeout', meaning: 'The request timed out on the server; retry.' },
    9: { name: 'InvalidSyncKey', meaning: 'The SyncKey does not match: run FolderSync again with SyncKey 0.' },
    10: { name: 'MalformedRequest', meaning: 'The request was incorrectly formatted.' },
    11: { name: 'UnknownError', meaning: 'An unknown error occurred.' },
    12: { name: 'CodeUnknown', meaning: 'An unusual back-end problem occurred.' },
  },
  FolderCreate: FOLDER_CHANGE_STATUS,
  FolderDelete: FOLDER_CHANGE_STATUS,
  FolderUpdate: FOLDER_CHANGE_STATUS,
  GetItemEstimate: {
    1: { name: 'Success', meaning: 'The estimate was made.' },
    2: { name: 'InvalidCollection', meaning: 'A collection or one of its ids is invalid.' },
    3: { name: 'SyncStateNotPrimed', meaning: 'The folder has not been synced yet: run Sync on it first.' },
    4: { name: 'InvalidSyncKey', meaning: 'The SyncKey is invalid.' },
  },
  MoveItems: {
    1: { name: 'InvalidSource', meaning: 'The source folder or item id is invalid.' },
    2: { name: 'InvalidDestination', meaning: 'The destination folder id is invalid.' },
    3: { name: 'Success', meaning: 'The item was moved.' },
    4: { name: 'SameFolder', meaning: 'The source and destination folders are the same.' },
    5: { name: 'MoveFailed', meaning: 'The move failed (more than one item, or a server failure).' },
    7: { name: 'ItemLocked', meaning: 'The source or destination item was locked.' },
  },
  MeetingResponse: {
    1: { name: 'Success', meaning: 'The meeting response was recorded.' },
    2: { name: 'InvalidMeetingRequest', meaning: 'The meeting request is invalid.' },
    3: { name: 'MailboxError', meaning: "An error occurred in the user's mailbox." },
    4: { name: 'ServerError', meaning: 'An error occurred on the server.' },
  },
  Search: {
    1: { name: 'Success', meaning: 'The search was run.' },
    2: { name: 'InvalidRequest', meaning: 'The search request is invalid.' },
    3: { name: 'ServerError', meaning: 'An error occurred on the server.' },
    4: { name: 'BadLink', meaning: 'A link in the request is not valid.' },
    5: { name: 'AccessDenied', meaning: 'Access was denied.' },
    6: { name: 'NotFound', meaning: 'The store or item was not found.' },
    7: { name: 'ConnectionFailed', meaning: 'The server could not connect to the store.' },
    8: { name: 'TooComplex', meaning: 'The query is too complex.' },
    10: { name: 'TimedOut', meaning: 'The search timed out.' },
    11: { name: 'FolderSyncRequired', meaning: 'The folder hierarchy changed: run FolderSync.' },
    12: { name: 'EndOfRange', meaning: 'The requested range is past the end of the results.' },
    13: { name: 'AccessBlocked', meaning: 'Access to the store is blocked.' },
    14: { name: 'CredentialsRequired', meaning: 'The store needs credentials.' },
  },
  ItemOperations: {
    1: { name: 'Success', meaning: 'The operation succeeded.' },
    2: { name: 'ProtocolError', meaning: 'The request is not valid for the protocol.' },
    3: { name: 'ServerError', meaning: 'An error occurred on the server.' },
    4: { name: 'BadUri', meaning: 'The document library URI is not valid.' },
    5: { name: 'AccessDenied', meaning: 'Access to the document library was denied.' },
    6: { name: 'ObjectNotFound', meaning: 'The object was not found, or access to it was denied.' },
    7: { name: 'ConnectionFailed', meaning: 'The server could not connect to the document library.' },
    8: { name: 'InvalidByteRange', meaning: 'The byte range is invalid or too large.' },
    9: { name: 'UnknownStore', meaning: 'The store is unknown or not supported.' },
    10: { name: 'EmptyFile', meaning: 'The file is empty.' },
    11: { name: 'TooLarge', meaning: 'The requested data is too large.' },
    12: { name: 'DownloadFailed', meaning: 'The file could not be downloaded (input/output failure).' },
    14: { name: 'ConversionFailed', meaning: 'The item could not be converted.' },
    15: { name: 'InvalidAttachment', meaning: 'The attachment or its id is invalid.' },
    16: { name: 'AccessBlocked', meaning: 'Access to the resource is blocked by policy.' },
    17: { name: 'PartialSuccess', meaning: 'Part of the operation succeeded.' },
    18: { name: 'CredentialsRequired', meaning: 'The resource needs credentials.' },
  },
  Settings: {
    1: { name: 'Success', meaning: 'The settings were read or written.' },
    2: { name: 'ProtocolError', meaning: 'The request is not valid for the protocol.' },
    3: { name: 'AccessDenied', meaning: 'Access was denied.' },
    4: { name: 'ServerUnavailable', meaning: 'The server is unavailable.' },
    5: { name: 'InvalidArguments', meaning: 'The arguments are invalid.' },
    6: { name: 'ConflictingArguments', meaning: 'The arguments conflict.' },
    7: { name: 'DeniedByPolicy', meaning: 'A policy denies the request.' },
  },
  ResolveRecipients: {
    1: { name: 'Success', meaning: 'The recipients were resolved.' },
    2: { name: 'Ambiguous', meaning: 'The recipient was ambiguous; suggestions are given.' },
    3: { name: 'AmbiguousPartial', meaning: 'The recipient was ambiguous; some suggestions are given.' },
    4: { name: 'NotResolved', meaning: 'The recipient was not found.' },
    5: { name: 'ProtocolError', meaning: 'The request is not valid for the protocol.' },
    6: { name: 'ServerError', meaning: 'An error occurred on the server.' },
    7: { name: 'NoCertificate', meaning: 'The recipient has no valid certificate.' },
    8: { name: 'CertificateLimit', meaning: 'The certificate limit was reached.' },
  },
  ValidateCert: {
    1: { name: 'Success', meaning: 'The certificate is valid.' },
    2: { name: 'ProtocolError', meaning: 'The request is not valid for the protocol.' },
    3: { name: 'InvalidSignature', meaning: 'The signature in the certificate could not be validated.' },
    4: { name: 'UntrustedSource', meaning: 'The certificate comes from an untrusted source.' },
    5: { name: 'BadChain', meaning: 'The certificate chain was not built correctly.' },
    6: { name: 'NotForSigning', meaning: 'The certificate is not valid for signing e-mail.' },
    7: { name: 'Expired', meaning: 'The certificate has expired or is not yet valid.' },
    8: { name: 'BadTimePeriods', meaning: 'The validity periods of the chain are not nested correctly.' },
    9: { name: 'WrongPurpose', meaning: 'The certificate is used for a purpose it was not issued for.' },
    10: { name: 'MissingInformation', meaning: 'The certificate lacks information.' },
    11: { name: 'WrongRole', meaning: 'The certificate is used in a role it was not issued for.' },
    12: { name: 'NotMatching', meaning: 'The certificate does not match.' },
    13: { name: 'Revoked', meaning: 'The certificate was revoked.' },
    14: { name: 'RevocationServerUnreachable', meaning: 'The revocation server could not be reached.' },
    15: { name: 'ChainRevoked', meaning: 'A certificate in the chain was revoked.' },
    16: { name: 'RevocationUnknown', meaning: 'The revocation status could not be checked.' },
    17: { name: 'UnknownError', meaning: 'An unknown error occurred.' },
  },
};

/** Whether a command's Status reports success: MoveItems' 3; elsewhere 1, and Ping's 2 (changes found) too. */
export function isCommandSuccess(command: string, code: number): boolean {
  if (command === 'MoveItems') return code === 3;
  return code === 1 || (command === 'Ping' && code === 2);
}

/** A command's own Status: common codes from the table, then the command's table of MS-ASCMD. */
export function describeCommandStatus(command: string, code: number): string {
  if (isCommonStatus(code)) return describeCommonStatus(code);
  const known = COMMAND_STATUS[command]?.[code];
  if (known) return `${code} ${known.name}: ${known.meaning}`;
  if (code === 1 && !COMMAND_STATUS[command]) return '1 Success';
  return `${code}: not in the ${command} Status table this tool knows (MS-ASCMD)`;
}
