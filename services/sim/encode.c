/* encode.c - the table of the simulator's payload encoders, one per device model (encode_*.c).
 * SPDX-License-Identifier: MIT */
#include "encode.h"

#include <string.h>

/* Each defined in encode_<vendor>_<model>.c. */
extern const struct sim_encoder sim_encoder_decentlab_dl_ctd10;
extern const struct sim_encoder sim_encoder_decentlab_dl_mbx;
extern const struct sim_encoder sim_encoder_decentlab_dl_pr26;
extern const struct sim_encoder sim_encoder_dingtek_df702;
extern const struct sim_encoder sim_encoder_elsys_ers;
extern const struct sim_encoder sim_encoder_elsys_ers_sound;
extern const struct sim_encoder sim_encoder_milesight_em310_udl;
extern const struct sim_encoder sim_encoder_milesight_ws302;
extern const struct sim_encoder sim_encoder_milesight_ws558;
extern const struct sim_encoder sim_encoder_nas_ul20xx;
extern const struct sim_encoder sim_encoder_parametric_pcr2;

const struct sim_encoder *const sim_encoders[] = {
    &sim_encoder_decentlab_dl_ctd10,  &sim_encoder_decentlab_dl_mbx, &sim_encoder_decentlab_dl_pr26,
    &sim_encoder_dingtek_df702,       &sim_encoder_elsys_ers,        &sim_encoder_elsys_ers_sound,
    &sim_encoder_milesight_em310_udl, &sim_encoder_milesight_ws302,  &sim_encoder_milesight_ws558,
    &sim_encoder_nas_ul20xx,          &sim_encoder_parametric_pcr2,  NULL,
};

const struct sim_encoder *sim_encoder_find(const char *model)
{
    for (size_t i = 0; sim_encoders[i] != NULL; i++) {
        if (strcmp(sim_encoders[i]->model, model) == 0)
            return sim_encoders[i];
    }
    return NULL;
}
