/* test_encode.c - the simulator's payload encoders against the normalizer's real codecs: every
 * frame encoded comes back through codec_decode as the same values, within each field's
 * resolution, or clamped to its range; every codec has an encoder; kinds and buffer sizes.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "../mue_test.h"
#include "codec.h"
#include "encode.h"
#include "mue_err.h"
#include "quantity.h"
#include "sim.h"

#define MAX_IN   20
#define MAX_WANT 24

/* Half a step of each field, with room for the decoder's floating point. */
#define TOL_EXACT 1e-9
#define TOL_MM    (0.0005 + 1e-9) /* 1 mm, 1 mV, 1 Wh as kWh, 1 mA, 1 mW */
#define TOL_TENTH (0.05 + 1e-9)   /* 0.1 °C, 0.1 dB, 0.1 V */
#define TOL_UNIT  (0.5 + 1e-9)    /* 1 °C, 1 %, 1 dB, 1 lx */
#define TOL_PCT   (0.005 + 1e-9)  /* a power factor in % */
#define TOL_PR26P (0.5 / 32768.0 + 1e-9)
#define TOL_PR26T (0.0015625 + 1e-9)
#define TOL_SEC   (0.5 / 3600.0 + 1e-9) /* a time in s, read in h */

struct nv {
    const char *name;
    double v;
};

struct want {
    const char *name;
    double v;
    double tol;
};

/* One frame, and every reading the codec must give for it (no more). */
struct rt_case {
    const char *what;
    const char *model;
    enum sim_frame_kind kind;
    unsigned fport;
    struct nv in[MAX_IN];
    struct want out[MAX_WANT];
};

/* One case per line group, in the shape of the frame: clang-format would put every value on a
 * line of its own and the table would triple in length. */
/* clang-format off */
#define SW(n, v) { "switch_" #n, v, TOL_EXACT }

static const struct rt_case cases[] = {
    /* Milesight EM310-UDL */
    { "em310 typical", "milesight-em310-udl", SIM_FRAME_DATA, 85,
      { { "battery", 87 }, { "distance", 1.2344 }, { "tilt", 0 } },
      { { "battery", 87, TOL_EXACT }, { "distance", 1.234, TOL_EXACT },
        { "tilt", 0, TOL_EXACT } } },
    { "em310 zero, tilted", "milesight-em310-udl", SIM_FRAME_DATA, 85,
      { { "battery", 0 }, { "distance", 0 }, { "tilt", 1 } },
      { { "battery", 0, TOL_EXACT }, { "distance", 0, TOL_EXACT }, { "tilt", 1, TOL_EXACT } } },
    { "em310 maximum", "milesight-em310-udl", SIM_FRAME_DATA, 85,
      { { "battery", 100 }, { "distance", 65.535 }, { "tilt", 1 } },
      { { "battery", 100, TOL_EXACT }, { "distance", 65.535, TOL_MM }, { "tilt", 1, TOL_EXACT } } },
    { "em310 clamped", "milesight-em310-udl", SIM_FRAME_DATA, 85,
      { { "battery", 130 }, { "distance", 80 }, { "tilt", 7 } },
      { { "battery", 100, TOL_EXACT }, { "distance", 65.535, TOL_MM }, { "tilt", 1, TOL_EXACT } } },
    { "em310 defaults", "milesight-em310-udl", SIM_FRAME_DATA, 85,
      { { "distance", 2.5 } },
      { { "battery", 100, TOL_EXACT }, { "distance", 2.5, TOL_MM }, { "tilt", 0, TOL_EXACT } } },

    /* Dingtek DF702 */
    { "df702 typical", "dingtek-df702", SIM_FRAME_DATA, 3,
      { { "distance", 0.853 }, { "temperature", 18 }, { "tilt_angle", 12 }, { "full_alarm", 0 },
        { "fire_alarm", 0 } },
      { { "distance", 0.853, TOL_MM }, { "temperature", 18, TOL_EXACT },
        { "tilt_angle", 12, TOL_EXACT }, { "full_alarm", 0, TOL_EXACT },
        { "fire_alarm", 0, TOL_EXACT }, { "tilt", 0, TOL_EXACT },
        { "battery_low", 0, TOL_EXACT } } },
    { "df702 negative, every alarm", "dingtek-df702", SIM_FRAME_DATA, 3,
      { { "distance", 0 }, { "temperature", -20 }, { "tilt_angle", -30 }, { "full_alarm", 1 },
        { "fire_alarm", 1 }, { "tilt", 1 }, { "battery_low", 1 } },
      { { "distance", 0, TOL_EXACT }, { "temperature", -20, TOL_EXACT },
        { "tilt_angle", -30, TOL_EXACT }, { "full_alarm", 1, TOL_EXACT },
        { "fire_alarm", 1, TOL_EXACT }, { "tilt", 1, TOL_EXACT },
        { "battery_low", 1, TOL_EXACT } } },
    { "df702 maximum", "dingtek-df702", SIM_FRAME_DATA, 3,
      { { "distance", 65.535 }, { "temperature", 127 }, { "tilt_angle", 255 } },
      { { "distance", 65.535, TOL_MM }, { "temperature", 127, TOL_EXACT },
        { "tilt_angle", 255, TOL_EXACT }, { "full_alarm", 0, TOL_EXACT },
        { "fire_alarm", 0, TOL_EXACT }, { "tilt", 0, TOL_EXACT },
        { "battery_low", 0, TOL_EXACT } } },
    { "df702 clamped", "dingtek-df702", SIM_FRAME_DATA, 3,
      { { "distance", 99 }, { "temperature", -300 }, { "tilt_angle", -400 } },
      { { "distance", 65.535, TOL_MM }, { "temperature", -128, TOL_EXACT },
        { "tilt_angle", -255, TOL_EXACT }, { "full_alarm", 0, TOL_EXACT },
        { "fire_alarm", 0, TOL_EXACT }, { "tilt", 0, TOL_EXACT },
        { "battery_low", 0, TOL_EXACT } } },
    { "df702 rounded to the degree", "dingtek-df702", SIM_FRAME_DATA, 3,
      { { "distance", 1.5 }, { "temperature", 21.4 }, { "tilt_angle", -0.3 } },
      { { "distance", 1.5, TOL_MM }, { "temperature", 21.4, TOL_UNIT },
        { "tilt_angle", -0.3, TOL_UNIT }, { "full_alarm", 0, TOL_EXACT },
        { "fire_alarm", 0, TOL_EXACT }, { "tilt", 0, TOL_EXACT },
        { "battery_low", 0, TOL_EXACT } } },
    { "df702 defaults", "dingtek-df702", SIM_FRAME_DATA, 3,
      { { NULL, 0 } },
      { { "distance", 0, TOL_EXACT }, { "temperature", 20, TOL_EXACT },
        { "tilt_angle", 0, TOL_EXACT }, { "full_alarm", 0, TOL_EXACT },
        { "fire_alarm", 0, TOL_EXACT }, { "tilt", 0, TOL_EXACT },
        { "battery_low", 0, TOL_EXACT } } },

    /* Decentlab DL-MBX */
    { "dl-mbx typical", "decentlab-dl-mbx", SIM_FRAME_DATA, 1,
      { { "distance", 1.2341 }, { "valid_samples", 8 }, { "battery_voltage", 3.05 } },
      { { "distance", 1.2341, TOL_MM }, { "valid_samples", 8, TOL_EXACT },
        { "battery_voltage", 3.05, TOL_MM } } },
    { "dl-mbx no valid sample", "decentlab-dl-mbx", SIM_FRAME_DATA, 1,
      { { "distance", 2.0 }, { "valid_samples", 0 }, { "battery_voltage", 2.9 } },
      { { "valid_samples", 0, TOL_EXACT }, { "battery_voltage", 2.9, TOL_MM } } },
    { "dl-mbx maximum", "decentlab-dl-mbx", SIM_FRAME_DATA, 1,
      { { "distance", 65.535 }, { "valid_samples", 65535 }, { "battery_voltage", 65.535 } },
      { { "distance", 65.535, TOL_MM }, { "valid_samples", 65535, TOL_EXACT },
        { "battery_voltage", 65.535, TOL_MM } } },
    { "dl-mbx clamped", "decentlab-dl-mbx", SIM_FRAME_DATA, 1,
      { { "distance", -1 }, { "valid_samples", 1e6 }, { "battery_voltage", 70 } },
      { { "distance", 0, TOL_EXACT }, { "valid_samples", 65535, TOL_EXACT },
        { "battery_voltage", 65.535, TOL_MM } } },
    { "dl-mbx defaults", "decentlab-dl-mbx", SIM_FRAME_DATA, 1,
      { { "distance", 3.3 } },
      { { "distance", 3.3, TOL_MM }, { "valid_samples", 1, TOL_EXACT },
        { "battery_voltage", 3.2, TOL_MM } } },
    { "dl-mbx battery only", "decentlab-dl-mbx", SIM_FRAME_DATA, 1,
      { { "battery_voltage", -1 } },
      { { "battery_voltage", 0, TOL_EXACT } } },

    /* Decentlab DL-CTD10 */
    { "dl-ctd10 typical", "decentlab-dl-ctd10", SIM_FRAME_DATA, 1,
      { { "water_depth", 1.2344 }, { "temperature", 12.34 }, { "conductivity", 456 },
        { "freezing", 0 }, { "battery_voltage", 3.1 } },
      { { "water_depth", 1.2344, TOL_MM }, { "temperature", 12.34, TOL_TENTH },
        { "conductivity", 456, TOL_EXACT }, { "freezing", 0, TOL_EXACT },
        { "battery_voltage", 3.1, TOL_MM } } },
    { "dl-ctd10 negative, freezing", "decentlab-dl-ctd10", SIM_FRAME_DATA, 1,
      { { "water_depth", -0.5 }, { "temperature", -2.5 }, { "conductivity", 0 },
        { "freezing", 1 } },
      { { "water_depth", -0.5, TOL_MM }, { "temperature", -2.5, TOL_TENTH },
        { "conductivity", 0, TOL_EXACT }, { "freezing", 1, TOL_EXACT },
        { "battery_voltage", 3.2, TOL_MM } } },
    { "dl-ctd10 maximum", "decentlab-dl-ctd10", SIM_FRAME_DATA, 1,
      { { "water_depth", 32.767 }, { "temperature", 3276.7 }, { "conductivity", 65535 },
        { "battery_voltage", 65.535 } },
      { { "water_depth", 32.767, TOL_MM }, { "temperature", 3276.7, TOL_TENTH },
        { "conductivity", 65535, TOL_EXACT }, { "freezing", 0, TOL_EXACT },
        { "battery_voltage", 65.535, TOL_MM } } },
    { "dl-ctd10 clamped", "decentlab-dl-ctd10", SIM_FRAME_DATA, 1,
      { { "water_depth", -40 }, { "temperature", -4000 }, { "conductivity", 70000 } },
      { { "water_depth", -32.768, TOL_MM }, { "temperature", -3276.8, TOL_TENTH },
        { "conductivity", 65535, TOL_EXACT }, { "freezing", 0, TOL_EXACT },
        { "battery_voltage", 3.2, TOL_MM } } },

    /* Decentlab DL-PR26, 0-1 bar */
    { "dl-pr26 typical", "decentlab-dl-pr26", SIM_FRAME_DATA, 1,
      { { "pressure", 0.2345 }, { "temperature", 14.2 }, { "battery_voltage", 3.15 } },
      { { "pressure", 0.2345, TOL_PR26P }, { "temperature", 14.2, TOL_PR26T },
        { "battery_voltage", 3.15, TOL_MM } } },
    { "dl-pr26 zero, frost", "decentlab-dl-pr26", SIM_FRAME_DATA, 1,
      { { "pressure", 0 }, { "temperature", -10.3 } },
      { { "pressure", 0, TOL_EXACT }, { "temperature", -10.3, TOL_PR26T },
        { "battery_voltage", 3.2, TOL_MM } } },
    { "dl-pr26 extremes", "decentlab-dl-pr26", SIM_FRAME_DATA, 1,
      { { "pressure", 49151.0 / 32768.0 }, { "temperature", -51.2 } },
      { { "pressure", 49151.0 / 32768.0, TOL_EXACT }, { "temperature", -51.2, TOL_PR26T },
        { "battery_voltage", 3.2, TOL_MM } } },
    { "dl-pr26 clamped", "decentlab-dl-pr26", SIM_FRAME_DATA, 1,
      { { "pressure", -3 }, { "temperature", 400 } },
      { { "pressure", -0.5, TOL_EXACT }, { "temperature", 153.596875, TOL_PR26T },
        { "battery_voltage", 3.2, TOL_MM } } },

    /* Milesight WS302 */
    { "ws302 typical", "milesight-ws302", SIM_FRAME_DATA, 85,
      { { "battery", 98 }, { "LAF", 55.34 }, { "LAeq", 52.1 }, { "LAFmax", 68.96 } },
      { { "battery", 98, TOL_EXACT }, { "LAF", 55.34, TOL_TENTH }, { "LAeq", 52.1, TOL_TENTH },
        { "LAFmax", 68.96, TOL_TENTH } } },
    { "ws302 zero", "milesight-ws302", SIM_FRAME_DATA, 85,
      { { "battery", 0 }, { "LAF", 0 }, { "LAeq", 0 }, { "LAFmax", 0 } },
      { { "battery", 0, TOL_EXACT }, { "LAF", 0, TOL_EXACT }, { "LAeq", 0, TOL_EXACT },
        { "LAFmax", 0, TOL_EXACT } } },
    { "ws302 maximum", "milesight-ws302", SIM_FRAME_DATA, 85,
      { { "battery", 100 }, { "LAF", 6553.5 }, { "LAeq", 6553.5 }, { "LAFmax", 6553.5 } },
      { { "battery", 100, TOL_EXACT }, { "LAF", 6553.5, TOL_TENTH },
        { "LAeq", 6553.5, TOL_TENTH }, { "LAFmax", 6553.5, TOL_TENTH } } },
    { "ws302 clamped", "milesight-ws302", SIM_FRAME_DATA, 85,
      { { "battery", -5 }, { "LAF", -3 }, { "LAFmax", 7000 } },
      { { "battery", 0, TOL_EXACT }, { "LAF", 0, TOL_EXACT }, { "LAeq", 0, TOL_EXACT },
        { "LAFmax", 6553.5, TOL_TENTH } } },
    { "ws302 battery only", "milesight-ws302", SIM_FRAME_DATA, 85,
      { { "battery", 40 } },
      { { "battery", 40, TOL_EXACT } } },

    /* Elsys ERS */
    { "ers typical", "elsys-ers", SIM_FRAME_DATA, 5,
      { { "temperature", 21.43 }, { "humidity", 45 }, { "illuminance", 320 }, { "motion", 3 },
        { "battery_voltage", 3.55 } },
      { { "temperature", 21.43, TOL_TENTH }, { "humidity", 45, TOL_EXACT },
        { "illuminance", 320, TOL_EXACT }, { "motion", 3, TOL_EXACT },
        { "battery_voltage", 3.55, TOL_MM } } },
    { "ers negative, zero", "elsys-ers", SIM_FRAME_DATA, 5,
      { { "temperature", -12.3 }, { "humidity", 0 }, { "illuminance", 0 }, { "motion", 0 },
        { "battery_voltage", 0 } },
      { { "temperature", -12.3, TOL_TENTH }, { "humidity", 0, TOL_EXACT },
        { "illuminance", 0, TOL_EXACT }, { "motion", 0, TOL_EXACT },
        { "battery_voltage", 0, TOL_EXACT } } },
    { "ers maximum", "elsys-ers", SIM_FRAME_DATA, 5,
      { { "temperature", 3276.7 }, { "humidity", 100 }, { "illuminance", 65535 }, { "motion", 255 },
        { "battery_voltage", 65.535 } },
      { { "temperature", 3276.7, TOL_TENTH }, { "humidity", 100, TOL_EXACT },
        { "illuminance", 65535, TOL_EXACT }, { "motion", 255, TOL_EXACT },
        { "battery_voltage", 65.535, TOL_MM } } },
    { "ers clamped", "elsys-ers", SIM_FRAME_DATA, 5,
      { { "temperature", -4000 }, { "humidity", 130 }, { "illuminance", -5 }, { "motion", 300 } },
      { { "temperature", -3276.8, TOL_TENTH }, { "humidity", 100, TOL_EXACT },
        { "illuminance", 0, TOL_EXACT }, { "motion", 255, TOL_EXACT },
        { "battery_voltage", 3.6, TOL_MM } } },
    { "ers defaults", "elsys-ers", SIM_FRAME_DATA, 5,
      { { "temperature", 19.5 }, { "humidity", 44.6 } },
      { { "temperature", 19.5, TOL_TENTH }, { "humidity", 44.6, TOL_UNIT },
        { "battery_voltage", 3.6, TOL_MM } } },

    /* Elsys ERS Sound */
    { "ers sound typical", "elsys-ers-sound", SIM_FRAME_DATA, 5,
      { { "temperature", 21.4 }, { "humidity", 45 }, { "illuminance", 320 }, { "motion", 3 },
        { "battery_voltage", 3.55 }, { "LAmax", 72.4 }, { "LAeq", 55 } },
      { { "temperature", 21.4, TOL_TENTH }, { "humidity", 45, TOL_EXACT },
        { "illuminance", 320, TOL_EXACT }, { "motion", 3, TOL_EXACT },
        { "battery_voltage", 3.55, TOL_MM }, { "LAmax", 72.4, TOL_UNIT },
        { "LAeq", 55, TOL_EXACT } } },
    { "ers sound negative, zero", "elsys-ers-sound", SIM_FRAME_DATA, 5,
      { { "temperature", -0.1 }, { "LAmax", 0 }, { "LAeq", 0 } },
      { { "temperature", -0.1, TOL_TENTH }, { "battery_voltage", 3.6, TOL_MM },
        { "LAmax", 0, TOL_EXACT }, { "LAeq", 0, TOL_EXACT } } },
    { "ers sound maximum and clamped", "elsys-ers-sound", SIM_FRAME_DATA, 5,
      { { "humidity", 100 }, { "LAmax", 300 }, { "LAeq", 255 } },
      { { "humidity", 100, TOL_EXACT }, { "battery_voltage", 3.6, TOL_MM },
        { "LAmax", 255, TOL_EXACT }, { "LAeq", 255, TOL_EXACT } } },
    { "ers sound without sound", "elsys-ers-sound", SIM_FRAME_DATA, 5,
      { { "temperature", 22.6 } },
      { { "temperature", 22.6, TOL_TENTH }, { "battery_voltage", 3.6, TOL_MM } } },
    { "ers sound one level missing", "elsys-ers-sound", SIM_FRAME_DATA, 5,
      { { "LAeq", -4 } },
      { { "battery_voltage", 3.6, TOL_MM }, { "LAmax", 0, TOL_EXACT }, { "LAeq", 0, TOL_EXACT } } },

    /* Milesight WS558 */
    { "ws558 typical", "milesight-ws558", SIM_FRAME_DATA, 85,
      { { "voltage", 229.43 }, { "power", 152.3 }, { "power_factor", 0.934 },
        { "energy", 1234.5674 }, { "current", 0.6652 }, { "switch_1", 1 }, { "switch_3", 1 } },
      { { "voltage", 229.43, TOL_TENTH }, { "power", 152.3, TOL_UNIT },
        { "power_factor", 0.934, TOL_PCT }, { "energy", 1234.5674, TOL_MM },
        { "current", 0.6652, TOL_MM }, SW(1, 1), SW(2, 0), SW(3, 1), SW(4, 0), SW(5, 0),
        SW(6, 0), SW(7, 0), SW(8, 0) } },
    { "ws558 zero", "milesight-ws558", SIM_FRAME_DATA, 85,
      { { "voltage", 0 }, { "power", 0 }, { "power_factor", 0 }, { "energy", 0 },
        { "current", 0 } },
      { { "voltage", 0, TOL_EXACT }, { "power", 0, TOL_EXACT }, { "power_factor", 0, TOL_EXACT },
        { "energy", 0, TOL_EXACT }, { "current", 0, TOL_EXACT }, SW(1, 0), SW(2, 0), SW(3, 0),
        SW(4, 0), SW(5, 0), SW(6, 0), SW(7, 0), SW(8, 0) } },
    { "ws558 maximum", "milesight-ws558", SIM_FRAME_DATA, 85,
      { { "voltage", 6553.5 }, { "power", 4294967295.0 }, { "power_factor", 1 },
        { "energy", 4294967.295 }, { "current", 65.535 }, { "switch_1", 1 }, { "switch_2", 1 },
        { "switch_3", 1 }, { "switch_4", 1 }, { "switch_5", 1 }, { "switch_6", 1 },
        { "switch_7", 1 }, { "switch_8", 1 } },
      { { "voltage", 6553.5, TOL_TENTH }, { "power", 4294967295.0, TOL_EXACT },
        { "power_factor", 1, TOL_EXACT }, { "energy", 4294967.295, TOL_MM },
        { "current", 65.535, TOL_MM }, SW(1, 1), SW(2, 1), SW(3, 1), SW(4, 1), SW(5, 1),
        SW(6, 1), SW(7, 1), SW(8, 1) } },
    /* The energy counter wraps like the device's uint32 of Wh; the rest is clamped. */
    { "ws558 clamped, counter wrapped", "milesight-ws558", SIM_FRAME_DATA, 85,
      { { "voltage", 7000 }, { "power", -5 }, { "power_factor", 1.2 },
        { "energy", 4294967.296 + 1.5 }, { "current", 99 } },
      { { "voltage", 6553.5, TOL_TENTH }, { "power", 0, TOL_EXACT },
        { "power_factor", 1, TOL_EXACT }, { "energy", 1.5, TOL_MM },
        { "current", 65.535, TOL_MM }, SW(1, 0), SW(2, 0), SW(3, 0), SW(4, 0), SW(5, 0),
        SW(6, 0), SW(7, 0), SW(8, 0) } },
    { "ws558 switches only", "milesight-ws558", SIM_FRAME_DATA, 85,
      { { "switch_8", 1 } },
      { SW(1, 0), SW(2, 0), SW(3, 0), SW(4, 0), SW(5, 0), SW(6, 0), SW(7, 0), SW(8, 1) } },

    /* NAS UL20xx status packets */
    { "ul20xx status at night", "nas-ul20xx", SIM_FRAME_STATUS, 23,
      { { "dim_level", 80 }, { "relay_closed", 1 }, { "device_temperature", 31 } },
      { { "relay_closed", 1, TOL_EXACT }, { "device_temperature", 31, TOL_EXACT },
        { "dim_level", 80, TOL_EXACT }, { "lamp_on", 1, TOL_EXACT },
        { "lamp_failure", 0, TOL_EXACT } } },
    { "ul20xx status by day", "nas-ul20xx", SIM_FRAME_STATUS, 23,
      { { "dim_level", 0 } },
      { { "relay_closed", 0, TOL_EXACT }, { "device_temperature", 20, TOL_EXACT },
        { "dim_level", 0, TOL_EXACT }, { "lamp_on", 0, TOL_EXACT },
        { "lamp_failure", 0, TOL_EXACT } } },
    { "ul20xx status, failed lamp", "nas-ul20xx", SIM_FRAME_STATUS, 23,
      { { "dim_level", 100 }, { "lamp_failure", 1 }, { "device_temperature", -20 } },
      { { "relay_closed", 1, TOL_EXACT }, { "device_temperature", -20, TOL_EXACT },
        { "dim_level", 100, TOL_EXACT }, { "lamp_on", 0, TOL_EXACT },
        { "lamp_failure", 1, TOL_EXACT } } },
    { "ul20xx status with sensors", "nas-ul20xx", SIM_FRAME_STATUS, 23,
      { { "dim_level", 50.4 }, { "relay_closed", 1 }, { "illuminance", 12.5 },
        { "light_sensor", 200 }, { "tilt_angle", 3 } },
      { { "relay_closed", 1, TOL_EXACT }, { "device_temperature", 20, TOL_EXACT },
        { "dim_level", 50.4, TOL_UNIT }, { "lamp_on", 1, TOL_EXACT },
        { "lamp_failure", 0, TOL_EXACT }, { "illuminance", 12.5, 12.5 * 3e-4 },
        { "light_sensor", 200, TOL_EXACT }, { "tilt_angle", 3, TOL_EXACT } } },
    /* The light sensor's code tops out at 10^(32767 / 4000) / 1000 lx. */
    { "ul20xx status clamped", "nas-ul20xx", SIM_FRAME_STATUS, 23,
      { { "dim_level", 150 }, { "device_temperature", -200 }, { "tilt_angle", 300 },
        { "illuminance", 1e9 }, { "light_sensor", 256 } },
      { { "relay_closed", 1, TOL_EXACT }, { "device_temperature", -128, TOL_EXACT },
        { "dim_level", 100, TOL_EXACT }, { "lamp_on", 1, TOL_EXACT },
        { "lamp_failure", 0, TOL_EXACT }, { "illuminance", 155507.02, 0.01 },
        { "light_sensor", 255, TOL_EXACT }, { "tilt_angle", 254, TOL_EXACT } } },

    /* NAS UL20xx usage packets */
    { "ul20xx usage typical", "nas-ul20xx", SIM_FRAME_USAGE, 26,
      { { "energy", 1234.5674 }, { "power", 45.2 }, { "power_factor", 0.95 }, { "voltage", 231 },
        { "lamp_on_time", 5678.25 } },
      { { "energy", 1234.5674, TOL_MM }, { "power", 45.2, TOL_UNIT },
        { "power_factor", 0.95, TOL_PCT }, { "voltage", 231, TOL_EXACT },
        { "lamp_on_time", 5678.25, TOL_SEC } } },
    { "ul20xx usage zero", "nas-ul20xx", SIM_FRAME_USAGE, 26,
      { { "energy", 0 }, { "power", 0 }, { "power_factor", 0 }, { "voltage", 0 },
        { "lamp_on_time", 0 } },
      { { "energy", 0, TOL_EXACT }, { "power", 0, TOL_EXACT }, { "power_factor", 0, TOL_EXACT },
        { "voltage", 0, TOL_EXACT }, { "lamp_on_time", 0, TOL_EXACT } } },
    { "ul20xx usage every field at its maximum", "nas-ul20xx", SIM_FRAME_USAGE, 26,
      { { "energy", 4294967.295 }, { "power", 65535 }, { "load_side_energy", 4294967.295 },
        { "load_side_power", 65535 }, { "power_factor", 1 }, { "voltage", 255 },
        { "driver_operating_time", 4294967295.0 / 3600 }, { "lamp_on_time", 4294967295.0 / 3600 } },
      { { "energy", 4294967.295, TOL_MM }, { "power", 65535, TOL_EXACT },
        { "load_side_energy", 4294967.295, TOL_MM }, { "load_side_power", 65535, TOL_EXACT },
        { "power_factor", 1, TOL_EXACT }, { "voltage", 255, TOL_EXACT },
        { "driver_operating_time", 4294967295.0 / 3600, TOL_SEC },
        { "lamp_on_time", 4294967295.0 / 3600, TOL_SEC } } },
    /* The energy counter wraps like the device's uint32 of Wh; the rest is clamped. */
    { "ul20xx usage clamped, counter wrapped", "nas-ul20xx", SIM_FRAME_USAGE, 26,
      { { "energy", 4294967.296 + 2.25 }, { "power", -1 }, { "power_factor", 1.5 },
        { "voltage", 300 } },
      { { "energy", 2.25, TOL_MM }, { "power", 0, TOL_EXACT }, { "power_factor", 1, TOL_EXACT },
        { "voltage", 255, TOL_EXACT } } },

    /* NAS UL20xx metering alerts */
    { "ul20xx alert, lamp error", "nas-ul20xx", SIM_FRAME_ALERT, 61,
      { { "lamp_error_alert", 1 }, { "power", 3 }, { "voltage", 232 }, { "power_factor", 0.2 } },
      { { "lamp_error_alert", 1, TOL_EXACT }, { "over_current_alert", 0, TOL_EXACT },
        { "under_voltage_alert", 0, TOL_EXACT }, { "over_voltage_alert", 0, TOL_EXACT },
        { "low_power_factor_alert", 0, TOL_EXACT }, { "power", 3, TOL_EXACT },
        { "voltage", 232, TOL_EXACT }, { "power_factor", 0.2, TOL_PCT } } },
    { "ul20xx alert, everything at its maximum", "nas-ul20xx", SIM_FRAME_ALERT, 61,
      { { "lamp_error_alert", 1 }, { "over_current_alert", 1 }, { "under_voltage_alert", 1 },
        { "over_voltage_alert", 1 }, { "low_power_factor_alert", 1 }, { "power", 65535 },
        { "voltage", 65535 }, { "power_factor", 1 } },
      { { "lamp_error_alert", 1, TOL_EXACT }, { "over_current_alert", 1, TOL_EXACT },
        { "under_voltage_alert", 1, TOL_EXACT }, { "over_voltage_alert", 1, TOL_EXACT },
        { "low_power_factor_alert", 1, TOL_EXACT }, { "power", 65535, TOL_EXACT },
        { "voltage", 65535, TOL_EXACT }, { "power_factor", 1, TOL_EXACT } } },
    { "ul20xx alert, defaults and clamps", "nas-ul20xx", SIM_FRAME_ALERT, 61,
      { { "under_voltage_alert", 1 }, { "power", -10 } },
      { { "lamp_error_alert", 0, TOL_EXACT }, { "over_current_alert", 0, TOL_EXACT },
        { "under_voltage_alert", 1, TOL_EXACT }, { "over_voltage_alert", 0, TOL_EXACT },
        { "low_power_factor_alert", 0, TOL_EXACT }, { "power", 0, TOL_EXACT },
        { "voltage", 230, TOL_EXACT } } },

    /* Parametric PCR2, extended application payload V4 */
    { "pcr2 typical", "parametric-pcr2", SIM_FRAME_DATA, 14,
      { { "count_ltr", 12 }, { "count_rtl", 7 }, { "count_ltr_total", 1500 },
        { "count_rtl_total", 1320 }, { "battery_voltage", 3.85 }, { "solar_power", 1.2 },
        { "device_temperature", 24.34 } },
      { { "count_ltr", 12, TOL_EXACT }, { "count_rtl", 7, TOL_EXACT },
        { "count_ltr_total", 1500, TOL_EXACT }, { "count_rtl_total", 1320, TOL_EXACT },
        { "battery_voltage", 3.85, TOL_MM }, { "solar_power", 1.2, TOL_MM },
        { "device_temperature", 24.34, TOL_TENTH } } },
    { "pcr2 zero, no solar box, frost", "parametric-pcr2", SIM_FRAME_DATA, 14,
      { { "count_ltr", 0 }, { "count_rtl", 0 }, { "count_ltr_total", 0 }, { "count_rtl_total", 0 },
        { "device_temperature", -5.5 } },
      { { "count_ltr", 0, TOL_EXACT }, { "count_rtl", 0, TOL_EXACT },
        { "count_ltr_total", 0, TOL_EXACT }, { "count_rtl_total", 0, TOL_EXACT },
        { "device_temperature", -5.5, TOL_TENTH } } },
    { "pcr2 maximum", "parametric-pcr2", SIM_FRAME_DATA, 14,
      { { "count_ltr", 65535 }, { "count_rtl", 65535 }, { "count_ltr_total", 65535 },
        { "count_rtl_total", 65535 }, { "battery_voltage", 65.535 }, { "solar_power", 65.535 },
        { "device_temperature", 409.5 } },
      { { "count_ltr", 65535, TOL_EXACT }, { "count_rtl", 65535, TOL_EXACT },
        { "count_ltr_total", 65535, TOL_EXACT }, { "count_rtl_total", 65535, TOL_EXACT },
        { "battery_voltage", 65.535, TOL_MM }, { "solar_power", 65.535, TOL_MM },
        { "device_temperature", 409.5, TOL_TENTH } } },
    /* The totals since power-up wrap like the device's uint16; the rest is clamped. */
    { "pcr2 clamped, totals wrapped", "parametric-pcr2", SIM_FRAME_DATA, 14,
      { { "count_ltr", 70000 }, { "count_rtl", -3 }, { "count_ltr_total", 65536 + 10 },
        { "count_rtl_total", 3 * 65536.0 + 7 }, { "battery_voltage", 4.1 },
        { "device_temperature", -500 } },
      { { "count_ltr", 65535, TOL_EXACT }, { "count_rtl", 0, TOL_EXACT },
        { "count_ltr_total", 10, TOL_EXACT }, { "count_rtl_total", 7, TOL_EXACT },
        { "battery_voltage", 4.1, TOL_MM }, { "solar_power", 0, TOL_EXACT },
        { "device_temperature", -409.6, TOL_TENTH } } },
};
/* clang-format on */

#define NCASES (sizeof(cases) / sizeof(cases[0]))

static void frame_of(const struct rt_case *c, struct sim_frame *f)
{
    memset(f, 0, sizeof(*f));
    f->kind = c->kind;
    for (size_t i = 0; i < MAX_IN && c->in[i].name != NULL; i++)
        MUE_ASSERT_INT_EQ(sim_frame_set(f, c->in[i].name, c->in[i].v), MUE_OK);
}

/* Encodes case 'c' into buf[SIM_PAYLOAD_MAX]; returns the length. */
static size_t encode_case(const struct rt_case *c, uint8_t *buf)
{
    const struct sim_encoder *e = sim_encoder_find(c->model);
    struct sim_frame f;
    unsigned fport = 0;
    size_t len = 0;

    MUE_ASSERT(e != NULL);
    frame_of(c, &f);
    MUE_ASSERT_INT_EQ(e->encode(&f, buf, SIM_PAYLOAD_MAX, &len, &fport), MUE_OK);
    MUE_ASSERT_UINT_EQ(fport, c->fport);
    MUE_ASSERT(len > 0 && len <= SIM_PAYLOAD_MAX);
    return len;
}

static void check_case(const struct rt_case *c)
{
    const struct codec *codec = codec_find(c->model);
    uint8_t buf[SIM_PAYLOAD_MAX];
    struct codec_result res;
    size_t len, nwant = 0;

    MUE_ASSERT(codec != NULL);
    len = encode_case(c, buf);
    memset(&res, 0, sizeof(res));
    if (codec_decode(codec, buf, len, c->fport, &res) != MUE_OK) {
        fprintf(stderr, "  case \"%s\": %s\n", c->what, res.reason);
        mue_test_fail(__FILE__, __LINE__, "the real codec decodes the frame");
    }
    for (size_t w = 0; w < MAX_WANT && c->out[w].name != NULL; w++, nwant++) {
        size_t found = 0;

        for (size_t i = 0; i < res.n; i++) {
            if (strcmp(res.r[i].quantity, c->out[w].name) != 0)
                continue;
            found++;
            if (!(fabs(res.r[i].value - c->out[w].v) <= c->out[w].tol)) {
                fprintf(stderr, "  case \"%s\": %s = %.17g, want %.17g +- %g\n", c->what,
                        c->out[w].name, res.r[i].value, c->out[w].v, c->out[w].tol);
                mue_test_fail(__FILE__, __LINE__,
                              "a value comes back within its field's resolution");
            }
        }
        if (found != 1)
            fprintf(stderr, "  case \"%s\": %zu readings of %s\n", c->what, found, c->out[w].name);
        MUE_ASSERT_UINT_EQ(found, 1);
    }
    if (res.n != nwant)
        fprintf(stderr, "  case \"%s\": %zu readings, want %zu\n", c->what, res.n, nwant);
    MUE_ASSERT_UINT_EQ(res.n, nwant); /* nothing else */
    for (size_t i = 0; i < res.n; i++)
        MUE_ASSERT(quantity_find(res.r[i].quantity) != NULL);
}

static void test_every_case_round_trips_through_the_real_codec(void)
{
    for (size_t i = 0; i < NCASES; i++)
        check_case(&cases[i]);
}

/* So that an encoder added to the table without frames of its own fails here. */
static void test_every_encoder_has_round_trip_cases(void)
{
    for (const struct sim_encoder *const *e = sim_encoders; *e != NULL; e++) {
        size_t n = 0;

        for (size_t i = 0; i < NCASES; i++)
            n += strcmp(cases[i].model, (*e)->model) == 0;
        if (n < 4)
            fprintf(stderr, "  %s: %zu round-trip cases\n", (*e)->model, n);
        MUE_ASSERT(n >= 4);
        MUE_ASSERT(codec_find((*e)->model) != NULL);
        MUE_ASSERT(sim_encoder_find((*e)->model) == *e);
    }
}

/* Every model a codec exists for can be simulated, but SenML, which devices post themselves. */
static void test_every_codec_has_an_encoder(void)
{
    for (const struct codec *const *c = codec_list; *c != NULL; c++) {
        if (strcmp((*c)->model, "senml") == 0)
            continue;
        if (sim_encoder_find((*c)->model) == NULL)
            fprintf(stderr, "  no encoder for %s\n", (*c)->model);
        MUE_ASSERT(sim_encoder_find((*c)->model) != NULL);
    }
    MUE_ASSERT(sim_encoder_find("senml") == NULL);
    MUE_ASSERT(sim_encoder_find("nope") == NULL);
}

/* The kinds each model sends: the lamp controller its three packets, the others data only. */
static void test_other_kinds_are_einval(void)
{
    static const enum sim_frame_kind kinds[] = { SIM_FRAME_DATA, SIM_FRAME_STATUS, SIM_FRAME_USAGE,
                                                 SIM_FRAME_ALERT };

    for (const struct sim_encoder *const *e = sim_encoders; *e != NULL; e++) {
        int nas = strcmp((*e)->model, "nas-ul20xx") == 0;

        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
            struct sim_frame f;
            uint8_t buf[SIM_PAYLOAD_MAX];
            unsigned fport = 0;
            size_t len = 0;
            int sends = nas ? kinds[k] != SIM_FRAME_DATA : kinds[k] == SIM_FRAME_DATA;

            memset(&f, 0, sizeof(f));
            f.kind = kinds[k];
            MUE_ASSERT_INT_EQ((*e)->encode(&f, buf, sizeof(buf), &len, &fport),
                              sends ? MUE_OK : MUE_EINVAL);
        }
    }
}

/* Every case's frame, into every buffer shorter than its payload: MUE_E2BIG; into one of exactly
 * its size: the same bytes as with room to spare. */
static void test_small_buffers_are_e2big(void)
{
    for (size_t i = 0; i < NCASES; i++) {
        const struct sim_encoder *e = sim_encoder_find(cases[i].model);
        uint8_t full[SIM_PAYLOAD_MAX], buf[SIM_PAYLOAD_MAX];
        size_t len = encode_case(&cases[i], full), got = 0;
        struct sim_frame f;
        unsigned fport = 0;

        frame_of(&cases[i], &f);
        for (size_t cap = 0; cap < len; cap++)
            MUE_ASSERT_INT_EQ(e->encode(&f, buf, cap, &got, &fport), MUE_E2BIG);
        MUE_ASSERT_INT_EQ(e->encode(&f, buf, len, &got, &fport), MUE_OK);
        MUE_ASSERT_UINT_EQ(got, len);
        MUE_ASSERT(memcmp(buf, full, len) == 0);
    }
}

int main(void)
{
    static const struct mue_test tests[] = {
        MUE_TEST(test_every_case_round_trips_through_the_real_codec),
        MUE_TEST(test_every_encoder_has_round_trip_cases),
        MUE_TEST(test_every_codec_has_an_encoder),
        MUE_TEST(test_other_kinds_are_einval),
        MUE_TEST(test_small_buffers_are_e2big),
    };
    return mue_test_run("encode", tests);
}
