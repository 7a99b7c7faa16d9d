using System.Runtime.InteropServices;

namespace ViralForge.Adapters.Local;

/// <summary>P/Invoke declarations for the parts of libespeak-ng (speak_lib.h, 1.51) the voice provider uses.</summary>
/// <remarks>
/// DllImport rather than LibraryImport: the source-generated stubs need unsafe code, which the shared build
/// settings do not allow, and every signature here is blittable or a UTF-8 string, so the runtime
/// marshaller adds next to nothing.
///
/// espeak_EVENT on x64 Linux, checked by reading events from the library (libespeak-ng 1.51):
/// type int @0, unique_identifier uint @4, text_position int @8, length int @12, audio_position int @16,
/// sample int @20, user_data void* @24, id union (8 bytes) @32; 40 bytes per event, the list ends with
/// an event of type espeakEVENT_LIST_TERMINATED (0).
///
/// text_position is 1-based and counts Unicode code points of the UTF-8 input, not bytes and not UTF-16
/// units: in "Café naïve" the word "naïve" is at 6 (byte offset would give 7), and after "🚀" (one code
/// point, two UTF-16 units) positions are one less than the UTF-16 index. length is in code points too,
/// but is unreliable for words espeak expands or joins: "2026" gives five word events (positions 4, 5, 5,
/// 5, 5) and "déjà vu" is one dictionary entry whose second event points one character into "déjà".
/// audio_position is in milliseconds from the start of the espeak_Synth call.
/// </remarks>
internal static class EspeakNative
{
    private const string Library = "libespeak-ng.so.1";

    /// <summary>espeak_AUDIO_OUTPUT: samples go to the callback, and espeak_Synth returns when they all have.</summary>
    public const int AudioOutputSynchronous = 2;

    /// <summary>espeakINITIALIZE_DONT_EXIT: without it the library calls exit() when its data folder is missing.</summary>
    public const int InitializeDontExit = 0x8000;

    public const int EventListTerminated = 0;
    public const int EventWord = 1;

    public const int PositionCharacter = 1;
    public const uint CharsUtf8 = 1;
    public const int ParameterRate = 1;

    /// <summary>espeak_ERROR: EE_OK.</summary>
    public const int Ok = 0;

    public const int EventSize = 40;
    public const int EventTypeOffset = 0;
    public const int EventTextPositionOffset = 8;
    public const int EventAudioPositionOffset = 16;

    /// <summary>t_espeak_callback: return 0 to go on, 1 to abort the synthesis.</summary>
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    public delegate int SynthCallback(IntPtr wav, int numSamples, IntPtr events);

    /// <summary>Returns the sample rate in Hz, or -1 (EE_INTERNAL_ERROR) when the data cannot be loaded.</summary>
    [DllImport(Library, EntryPoint = "espeak_Initialize")]
    public static extern int Initialize(int output, int bufferLengthMs, [MarshalAs(UnmanagedType.LPUTF8Str)] string? path, int options);

    /// <summary>Returns the version string and points pathData at the espeak-ng-data folder in use.</summary>
    [DllImport(Library, EntryPoint = "espeak_Info")]
    public static extern IntPtr Info(out IntPtr pathData);

    [DllImport(Library, EntryPoint = "espeak_SetSynthCallback")]
    public static extern void SetSynthCallback(SynthCallback callback);

    [DllImport(Library, EntryPoint = "espeak_SetVoiceByName")]
    public static extern int SetVoiceByName([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    [DllImport(Library, EntryPoint = "espeak_SetParameter")]
    public static extern int SetParameter(int parameter, int value, int relative);

    /// <summary>text is NUL-terminated UTF-8; size is its length in bytes, the terminator included.</summary>
    [DllImport(Library, EntryPoint = "espeak_Synth")]
    public static extern int Synth(
        byte[] text,
        nuint size,
        uint position,
        int positionType,
        uint endPosition,
        uint flags,
        IntPtr uniqueIdentifier,
        IntPtr userData);

    [DllImport(Library, EntryPoint = "espeak_Synchronize")]
    public static extern int Synchronize();
}
